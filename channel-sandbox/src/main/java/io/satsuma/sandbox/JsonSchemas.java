package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas written from CHANNELS.md for the vendors that publish no machine-readable spec (Meta, Google Data
 * Manager, Mailchimp, FCM), from this module's {@code schemas/} resources (draft 2020-12).
 */
final class JsonSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    /** Adds a violation for every way {@code body} breaks {@code schemas/<name>.json}. */
    static void check(Call call, String name, JsonNode body) {
        Schema schema = SCHEMAS.computeIfAbsent(name,
                n -> REGISTRY.getSchema(SchemaLocation.of("classpath:schemas/" + n + ".json")));
        List<Error> errors = schema.validate(body);
        for (Error error : errors) {
            call.violation(name + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
    }
}
