package io.satsuma.activation.adapter.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.support.jdbc.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;

/** JSON columns with the service's object mapper ({@link JsonColumns} bound to it, so adapters need not pass it). */
@ApplicationScoped
class Json {
    private final ObjectMapper mapper;

    Json(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String write(Object value) {
        return JsonColumns.write(mapper, value);
    }

    <T> T read(String text, TypeReference<T> type) {
        return JsonColumns.read(mapper, text, type);
    }

    <T> T read(String text, Class<T> type) {
        return JsonColumns.read(mapper, text, type);
    }
}
