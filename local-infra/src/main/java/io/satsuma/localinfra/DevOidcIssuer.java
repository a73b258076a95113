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
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
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
 *
 * <p>For the console it also signs people in the way Keycloak does, at Keycloak's paths: the authorization-code
 * flow with PKCE (S256 required) for a public client redirecting to a loopback URL. Its sign-in page asks no
 * password: it offers the {@link #DEV_USERS} and a workspace, since whoever reaches a loopback issuer can mint
 * tokens anyway.
 */
public final class DevOidcIssuer implements AutoCloseable {
    private static final String KEY_ID = "satsuma-dev";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Duration SIGN_IN_TTL = Duration.ofHours(8);

    /** A person the sign-in page offers, with the roles their token carries. */
    public record DevUser(String username, String label, List<String> roles) {
    }

    /** The people of the dev sign-in page: one per way the console is used. */
    public static final List<DevUser> DEV_USERS = List.of(
            new DevUser("maria", "Maria, marketer (segment-editor, analyst)", List.of("segment-editor", "analyst")),
            new DevUser("ana", "Ana, analyst (analyst: reads, changes nothing)", List.of("analyst")),
            new DevUser("admin", "Admin (admin: everything, syncs and destinations too)", List.of("admin")));

    private final HttpServer server;
    private final KeyPair keys;
    private final String issuer;
    private final AuthorizationCodes codes = new AuthorizationCodes(Clock.systemUTC());

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
            server.createContext("/realms/satsuma/protocol/openid-connect/auth", oidc::authorize);
            server.createContext("/realms/satsuma/protocol/openid-connect/token", oidc::redeem);
            server.createContext("/realms/satsuma/protocol/openid-connect/logout", oidc::logout);
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
    /** The audience of the access tokens it mints: what the services require ({@code SATSUMA_OIDC_AUDIENCE}). */
    public static final String AUDIENCE = "satsuma";

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
        return mint(subject, workspace, roles, ttl, AUDIENCE);
    }

    /** A token meant for another audience than Satsuma's (which the services refuse). */
    public String mint(String subject, String workspace, List<String> roles, Duration ttl, String audience) {
        return sign(claims(subject, workspace, roles, ttl, audience));
    }

    private Map<String, Object> claims(String subject, String workspace, List<String> roles, Duration ttl, String audience) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("preferred_username", subject);
        claims.put("groups", roles);
        if (workspace != null) {
            claims.put("workspace", workspace);
        }
        return claims;
    }

    private String sign(Map<String, Object> claims) {
        Map<String, Object> header = Map.of("alg", "RS256", "typ", "JWT", "kid", KEY_ID);
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
        doc.put("authorization_endpoint", issuer + "/protocol/openid-connect/auth");
        doc.put("token_endpoint", issuer + "/protocol/openid-connect/token");
        doc.put("end_session_endpoint", issuer + "/protocol/openid-connect/logout");
        doc.put("response_types_supported", List.of("code"));
        doc.put("grant_types_supported", List.of("authorization_code"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        allowAnyOrigin(exchange);
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
        allowAnyOrigin(exchange);
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

    /** GET shows the sign-in page for an authorization request; POST (the page's form) issues a code and redirects. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> params = "POST".equals(exchange.getRequestMethod())
                ? parseQuery(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                : parseQuery(exchange.getRequestURI().getRawQuery());
        String refused = refuseAuthorizationRequest(params);
        if (refused != null) {
            respond(exchange, 400, "text/plain; charset=utf-8", ("Sign-in refused: " + refused).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 200, "text/html; charset=utf-8", signInPage(params).getBytes(StandardCharsets.UTF_8));
            return;
        }
        DevUser user = DEV_USERS.stream().filter(u -> u.username().equals(params.get("username"))).findFirst().orElse(null);
        String workspace = params.getOrDefault("workspace", "").trim();
        if (user == null || workspace.isEmpty()) {
            respond(exchange, 400, "text/plain; charset=utf-8",
                    "Sign-in refused: choose one of the listed people and name a workspace".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String code = codes.issue(user.username(), workspace, user.roles(), params.get("client_id"),
                params.get("redirect_uri"), params.get("code_challenge"), params.get("nonce"));
        String redirect = params.get("redirect_uri") + (params.get("redirect_uri").contains("?") ? "&" : "?")
                + "code=" + encode(code) + (params.containsKey("state") ? "&state=" + encode(params.get("state")) : "");
        exchange.getResponseHeaders().add("Location", redirect);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** What makes an authorization request unacceptable here, or null. */
    private static String refuseAuthorizationRequest(Map<String, String> params) {
        if (!"code".equals(params.get("response_type"))) {
            return "response_type must be 'code'";
        }
        if (params.getOrDefault("client_id", "").isBlank()) {
            return "client_id is required";
        }
        if (!isLoopbackUrl(params.get("redirect_uri"))) {
            return "redirect_uri must be an http(s) URL on loopback (127.0.0.1 or localhost): this issuer is for local use";
        }
        if (params.getOrDefault("code_challenge", "").isBlank() || !"S256".equals(params.get("code_challenge_method"))) {
            return "PKCE is required: code_challenge with code_challenge_method=S256";
        }
        return null;
    }

    private static boolean isLoopbackUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String signInPage(Map<String, String> params) {
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of("response_type", "client_id", "redirect_uri", "state", "code_challenge",
                "code_challenge_method", "nonce", "scope")) {
            if (params.containsKey(name)) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(html(params.get(name))).append("\">\n");
            }
        }
        StringBuilder people = new StringBuilder();
        for (int i = 0; i < DEV_USERS.size(); i++) {
            DevUser user = DEV_USERS.get(i);
            people.append("<label><input type=\"radio\" name=\"username\" value=\"").append(user.username()).append('"')
                    .append(i == 0 ? " checked" : "").append("> ").append(html(user.label())).append("</label>\n");
        }
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Sign in to Satsuma (development issuer)</title>
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1d2330}
                fieldset{border:1px solid #c9ced8;border-radius:6px;margin:1rem 0}label{display:block;margin:.4rem 0}
                input[type=text]{font:inherit;padding:.3rem;width:100%;box-sizing:border-box}
                button{font:inherit;padding:.5rem 1.2rem;background:#c2410c;color:#fff;border:0;border-radius:6px}
                button:focus,input:focus{outline:3px solid #1d4ed8;outline-offset:2px}p.note{color:#555;font-size:.9rem}</style>
                </head><body><main>
                <h1>Sign in to Satsuma</h1>
                <p class="note">Development issuer: it asks no password and signs in whoever is listed. Production
                points the platform at Keycloak or another identity provider instead.</p>
                <form method="post">
                {hidden}<fieldset><legend>Who are you?</legend>
                {people}</fieldset>
                <label for="workspace">Workspace</label>
                <input type="text" id="workspace" name="workspace" value="demo" required>
                <p><button type="submit" id="sign-in">Sign in</button></p>
                </form></main></body></html>
                """.replace("{hidden}", hidden).replace("{people}", people);
    }

    /** The token endpoint: redeems an authorization code for an access token and an ID token. */
    private void redeem(HttpExchange exchange) throws IOException {
        allowAnyOrigin(exchange);
        if ("OPTIONS".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "POST");
            exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type");
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        Map<String, String> form = parseQuery(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"POST".equals(exchange.getRequestMethod()) || !"authorization_code".equals(form.get("grant_type"))) {
            oauthError(exchange, "unsupported_grant_type", "POST grant_type=authorization_code (or GET /dev/token)");
            return;
        }
        AuthorizationCodes.Grant grant;
        try {
            grant = codes.redeem(form.get("code"), form.get("client_id"), form.get("redirect_uri"), form.get("code_verifier"));
        } catch (AuthorizationCodes.Refused e) {
            oauthError(exchange, e.error, e.getMessage());
            return;
        }
        Map<String, Object> idClaims = claims(grant.subject(), grant.workspace(), grant.roles(), SIGN_IN_TTL, grant.clientId());
        if (grant.nonce() != null) {
            idClaims.put("nonce", grant.nonce());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", mint(grant.subject(), grant.workspace(), grant.roles(), SIGN_IN_TTL));
        body.put("id_token", sign(idClaims));
        body.put("token_type", "Bearer");
        body.put("expires_in", SIGN_IN_TTL.toSeconds());
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        respond(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    /** Signing out holds no server state here: it only sends the browser back to a loopback page. */
    private void logout(HttpExchange exchange) throws IOException {
        String back = parseQuery(exchange.getRequestURI().getRawQuery()).get("post_logout_redirect_uri");
        if (isLoopbackUrl(back)) {
            exchange.getResponseHeaders().add("Location", back);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        } else {
            respond(exchange, 200, "text/plain; charset=utf-8", "Signed out.".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void oauthError(HttpExchange exchange, String error, String description) throws IOException {
        respond(exchange, 400, "application/json", JSON.writeValueAsBytes(Map.of("error", error,
                "error_description", description)));
    }

    private static void allowAnyOrigin(HttpExchange exchange) {
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String html(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
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
