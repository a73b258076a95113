package io.satsuma.localinfra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A development-only OpenID Connect issuer: publishes a discovery document and a JWKS, and mints
 * RS256-signed access tokens carrying a {@code workspace} claim and roles in {@code groups}. Services
 * verify its tokens exactly as they verify Keycloak's (discovery + JWKS); production points them at a
 * real IdP instead.
 *
 * <p>{@code GET /dev/token?workspace=W&roles=a,b[&ttl=PT12H][&sub=S][&format=raw]} mints a token.
 * It exists only on this issuer, which binds to loopback.
 */
public final class DevOidcIssuer implements AutoCloseable {
    private static final String KEY_ID = "satsuma-dev";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final HttpServer server;
    private final KeyPair keys;
    private final String issuer;

    private DevOidcIssuer(HttpServer server, KeyPair keys, String issuer) {
        this.server = server;
        this.keys = keys;
        this.issuer = issuer;
    }

    public static DevOidcIssuer start(int port) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            // Without it every response waits ~40 ms for a delayed ACK (Nagle). The JDK reads it once, when its server
            // classes load, so it is set here too: the issuer is usually the first JDK server of the process.
            System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            String issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/satsuma";
            DevOidcIssuer oidc = new DevOidcIssuer(server, keys, issuer);
            server.createContext("/realms/satsuma/.well-known/openid-configuration", oidc::discovery);
            server.createContext("/realms/satsuma/protocol/openid-connect/certs", oidc::jwks);
            server.createContext("/realms/satsuma/dev/token", oidc::token);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "dev-oidc");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return oidc;
        } catch (IOException e) {
            throw new UncheckedIOException("dev OIDC issuer did not start", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer URL, to be used as {@code quarkus.oidc.auth-server-url}. */
    public String issuer() {
        return issuer;
    }

    /** The URL that mints tokens over HTTP (for scripts and the README walkthrough). */
    public String tokenUrl() {
        return issuer + "/dev/token";
    }

    /** Mints an access token for {@code workspace} with the given roles. */
    public String mint(String workspace, List<String> roles, Duration ttl) {
        return mint("dev-user", workspace, roles, ttl);
    }

    public String mint(String subject, String workspace, List<String> roles, Duration ttl) {
        Instant now = Instant.now();
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "kid", KEY_ID);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", "satsuma");
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("preferred_username", subject);
        claims.put("groups", roles);
        if (workspace != null) {
            claims.put("workspace", workspace);
        }
        try {
            String signingInput = B64URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(rsa.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not sign token", e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/protocol/openid-connect/certs");
        doc.put("token_endpoint", tokenUrl());
        doc.put("response_types_supported", List.of("token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        respond(exchange, 200, "application/json", JSON.writeValueAsBytes(doc));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", KEY_ID);
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", B64URL.encodeToString(unsigned(key.getModulus())));
        jwk.put("e", B64URL.encodeToString(unsigned(key.getPublicExponent())));
        respond(exchange, 200, "application/json", JSON.writeValueAsBytes(Map.of("keys", List.of(jwk))));
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
        String workspace = query.get("workspace");
        String roles = query.getOrDefault("roles", "");
        if (workspace == null || workspace.isBlank() || roles.isBlank()) {
            respond(exchange, 400, "application/problem+json", JSON.writeValueAsBytes(Map.of(
                    "type", "about:blank", "title", "Bad Request", "status", 400,
                    "detail", "query parameters 'workspace' and 'roles' (comma-separated) are required")));
            return;
        }
        Duration ttl = Duration.parse(query.getOrDefault("ttl", "PT12H"));
        String token = mint(query.getOrDefault("sub", "dev-user"), workspace,
                Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList(), ttl);
        if ("raw".equals(query.get("format"))) {
            respond(exchange, 200, "text/plain", token.getBytes(StandardCharsets.US_ASCII));
        } else {
            respond(exchange, 200, "application/json", JSON.writeValueAsBytes(Map.of(
                    "access_token", token, "token_type", "Bearer", "expires_in", ttl.toSeconds())));
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
