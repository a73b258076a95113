package io.satsuma.localinfra;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Mints tokens from a running {@link DevOidcIssuer} over HTTP, as scripts and tests do. */
public final class DevTokens {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DevTokens() {
    }

    /** A 12-hour bearer token for {@code workspace} with the given roles. */
    public static String mint(String issuer, String workspace, String... roles) {
        String url = issuer + "/dev/token?format=raw&workspace=" + URLEncoder.encode(workspace, StandardCharsets.UTF_8)
                + "&roles=" + URLEncoder.encode(String.join(",", roles), StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("dev OIDC issuer unreachable at " + issuer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
