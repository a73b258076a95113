package io.satsuma.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A small JSON-over-HTTP client for the launcher's set-up calls and the end-to-end tests. */
public final class SatsumaHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response: status, content type and body (parsed if JSON). */
    public record Reply(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    public Reply get(String url, String bearer) {
        return send(request(url, bearer).GET().build());
    }

    public Reply postJson(String url, String bearer, Object body) {
        return send(request(url, bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))).build());
    }

    /** A Segment tracking-API call, authenticated with a write key. */
    public Reply postWithWriteKey(String url, String writeKey, Object body) {
        return postWithWriteKey(url, writeKey, body, Map.of());
    }

    /** The same with more headers, such as the {@code traceparent} a gateway or an instrumented app adds. */
    public Reply postWithWriteKey(String url, String writeKey, Object body, Map<String, String> headers) {
        String basic = Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body))).build());
    }

    /** Like {@link #postJson} but fails unless the status is 2xx. */
    public JsonNode create(String url, String bearer, Object body) {
        Reply reply = postJson(url, bearer, body);
        if (reply.status() / 100 != 2) {
            throw new IllegalStateException("POST " + url + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    private static HttpRequest.Builder request(String url, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
