package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks requests against a vendor's published OpenAPI 3.0 document, as the vendor's API would: the path and method
 * exist, the security requirement is met (Basic credentials, an API key header), required header and query parameters
 * are present with allowed values, the content type is one the operation accepts, and the body (JSON, or form fields
 * typed by the schema) validates against the operation's request schema with the document's own components.
 */
final class OpenApiContract {
    private final String name;
    private final JsonNode document;
    private final ObjectMapper json;
    private final List<Template> templates = new ArrayList<>();
    private final Map<String, Schema> bodySchemas = new ConcurrentHashMap<>();
    /** OpenAPI 3.0's dialect; {@code components} (where the body schema's references point) is not a keyword. */
    private final SchemaRegistry registry = SchemaRegistry.withDialect(Dialect.builder(Dialects.getOpenApi30())
            .keyword(new NonValidationKeyword("components")).build());

    private record Template(String path, Pattern pattern, int literals) {
    }

    OpenApiContract(String name, Path file, ObjectMapper json) throws IOException {
        this.name = name;
        this.json = json;
        this.document = json.readTree(file.toFile());
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String path = it.next();
            StringBuilder regex = new StringBuilder();
            Matcher m = Pattern.compile("\\{[^}/]+}").matcher(path);
            int last = 0;
            int literals = path.length();
            while (m.find()) {
                regex.append(Pattern.quote(path.substring(last, m.start()))).append("[^/]+");
                literals -= m.end() - m.start();
                last = m.end();
            }
            regex.append(Pattern.quote(path.substring(last)));
            templates.add(new Template(path, Pattern.compile(regex.toString()), literals));
        }
        templates.sort((a, b) -> Integer.compare(b.literals(), a.literals()));
    }

    /** Adds a violation to the call for everything that breaks the document. */
    void check(Call call) {
        Template template = templates.stream().filter(t -> t.pattern().matcher(call.path).matches()).findFirst().orElse(null);
        if (template == null) {
            call.violation(name + ": no path " + call.path + " in the published API");
            return;
        }
        JsonNode pathItem = document.path("paths").path(template.path());
        JsonNode operation = pathItem.path(call.method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            call.violation(name + ": " + call.method + " is not an operation of " + template.path());
            return;
        }
        checkSecurity(call, operation.has("security") ? operation.path("security") : document.path("security"));
        List<JsonNode> parameters = new ArrayList<>();
        pathItem.path("parameters").forEach(p -> parameters.add(resolve(p)));
        operation.path("parameters").forEach(p -> parameters.add(resolve(p)));
        for (JsonNode parameter : parameters) {
            checkParameter(call, parameter);
        }
        JsonNode requestBody = resolve(operation.path("requestBody"));
        if (requestBody.isMissingNode()) {
            return;
        }
        if (call.body.isEmpty()) {
            if (requestBody.path("required").asBoolean(false)) {
                call.violation(name + ": " + operation.path("operationId").asText() + " requires a body");
            }
            return;
        }
        JsonNode media = requestBody.path("content").path(call.contentType());
        if (media.isMissingNode()) {
            List<String> accepted = new ArrayList<>();
            requestBody.path("content").fieldNames().forEachRemaining(accepted::add);
            call.violation(name + ": content type '" + call.contentType() + "' not accepted; expected " + accepted);
            return;
        }
        JsonNode body;
        try {
            body = call.contentType().equals("application/x-www-form-urlencoded")
                    ? typedForm(call.form(), resolve(media.path("schema")))
                    : json.readTree(call.body);
        } catch (IOException e) {
            call.violation(name + ": the body is not JSON");
            return;
        }
        String key = template.path() + " " + call.method + " " + call.contentType();
        Schema schema = bodySchemas.computeIfAbsent(key, k -> bodySchema(k, media.path("schema")));
        for (Error error : schema.validate(body)) {
            call.violation(name + " " + operation.path("operationId").asText() + ": " + error.getInstanceLocation() + " "
                    + error.getMessage());
        }
    }

    private void checkSecurity(Call call, JsonNode requirements) {
        if (!requirements.isArray() || requirements.isEmpty()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (JsonNode requirement : requirements) {
            List<String> unmet = new ArrayList<>();
            requirement.fieldNames().forEachRemaining(scheme -> {
                if (!satisfied(call, document.path("components").path("securitySchemes").path(scheme))) {
                    unmet.add(scheme);
                }
            });
            if (unmet.isEmpty()) {
                return;
            }
            missing.addAll(unmet);
        }
        call.violation(name + ": credentials missing or malformed for security scheme(s) " + missing);
    }

    private static boolean satisfied(Call call, JsonNode scheme) {
        String type = scheme.path("type").asText();
        if (type.equals("http") && scheme.path("scheme").asText().equalsIgnoreCase("basic")) {
            String header = call.header("Authorization");
            if (header == null || !header.startsWith("Basic ")) {
                return false;
            }
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 && colon < decoded.length() - 1;
        }
        if (type.equals("http") && scheme.path("scheme").asText().equalsIgnoreCase("bearer")) {
            String header = call.header("Authorization");
            return header != null && header.startsWith("Bearer ") && header.length() > 7;
        }
        if (type.equals("apiKey") && scheme.path("in").asText().equals("header")) {
            String header = call.header(scheme.path("name").asText());
            String example = scheme.path("x-default").asText("");
            String prefix = example.contains(" ") ? example.substring(0, example.indexOf(' ') + 1) : "";
            return header != null && header.startsWith(prefix) && header.length() > prefix.length();
        }
        return true;
    }

    private void checkParameter(Call call, JsonNode parameter) {
        String in = parameter.path("in").asText();
        String pname = parameter.path("name").asText();
        String value = switch (in) {
            case "header" -> call.header(pname);
            case "query" -> call.queryParam(pname);
            default -> "";
        };
        if (value == null) {
            if (parameter.path("required").asBoolean(false)) {
                call.violation(name + ": required " + in + " parameter '" + pname + "' missing");
            }
            return;
        }
        JsonNode allowed = resolve(parameter.path("schema")).path("enum");
        if (allowed.isArray() && !allowed.isEmpty()) {
            boolean ok = false;
            for (JsonNode v : allowed) {
                ok |= v.asText().equals(value);
            }
            if (!ok) {
                call.violation(name + ": " + in + " parameter '" + pname + "' = '" + value + "' not one of " + allowed);
            }
        }
    }

    /** Form fields as a JSON object, each typed by its property schema (integers, numbers, booleans, arrays). */
    private JsonNode typedForm(Map<String, List<String>> form, JsonNode schema) {
        ObjectNode object = json.createObjectNode();
        form.forEach((field, values) -> {
            JsonNode property = resolve(schema.path("properties").path(field));
            String type = property.path("type").asText("string");
            if (type.equals("array")) {
                ArrayNode array = object.putArray(field);
                values.forEach(array::add);
                return;
            }
            String value = values.get(values.size() - 1);
            try {
                switch (type) {
                    case "integer" -> object.put(field, Long.parseLong(value));
                    case "number" -> object.put(field, Double.parseDouble(value));
                    case "boolean" -> object.put(field, Boolean.parseBoolean(value));
                    default -> object.put(field, value);
                }
            } catch (NumberFormatException e) {
                object.put(field, value); // the schema then reports the wrong type
            }
        });
        return object;
    }

    /** The request schema as the root of a copy of the document, so its {@code $ref}s resolve as the vendor's do. */
    private Schema bodySchema(String key, JsonNode schema) {
        ObjectNode copy = document.deepCopy();
        ObjectNode components = copy.with("components").with("schemas");
        components.set("SandboxRequestBody", schema.deepCopy());
        ObjectNode root = json.createObjectNode();
        root.put("$ref", "#/components/schemas/SandboxRequestBody");
        root.set("components", copy.path("components"));
        return registry.getSchema(SchemaLocation.of("urn:satsuma-sandbox:" + name.toLowerCase(Locale.ROOT) + ":"
                + Integer.toHexString(key.hashCode())), root);
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.path("$ref").asText();
            current = document.at(ref.substring(1));
        }
        return current;
    }
}
