package io.satsuma.sandbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request to a stub, read once: method, the path below the vendor's prefix, query, headers and body. */
final class Call {
    final HttpExchange exchange;
    final String method;
    final String path;
    final String rawQuery;
    final Map<String, List<String>> query;
    final String body;
    final List<String> violations = new ArrayList<>();

    Call(HttpExchange exchange, String prefix) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        this.path = URLDecoder.decode(rawPath.substring(prefix.length()), StandardCharsets.UTF_8);
        this.rawQuery = exchange.getRequestURI().getRawQuery();
        this.query = parseForm(rawQuery);
        this.body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String contentType() {
        String type = header("Content-Type");
        return type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The form fields of an {@code application/x-www-form-urlencoded} body. */
    Map<String, List<String>> form() {
        return parseForm(body);
    }

    void violation(String text) {
        violations.add(text);
    }

    /** Headers as recorded: credentials masked. */
    Map<String, String> recordedHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String value = String.join(", ", values);
            if (name.equalsIgnoreCase("Authorization")) {
                int space = value.indexOf(' ');
                value = (space > 0 ? value.substring(0, space) : "") + " ***";
            }
            headers.put(name, value);
        });
        return headers;
    }

    static Map<String, List<String>> parseForm(String text) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return fields;
    }
}
