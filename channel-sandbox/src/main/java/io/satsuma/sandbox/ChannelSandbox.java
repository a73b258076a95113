package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The channel sandbox: one local stand-in per vendor Satsuma syncs to, on one port, each under its own prefix
 * ({@code /meta/v27.0}, {@code /google}, {@code /oauth2/token}, {@code /klaviyo}, {@code /mailchimp}, {@code /twilio},
 * {@code /fcm}, {@code /webhook}). {@code GET /} shows what each received; {@code GET /_sandbox/{vendor}/received}
 * and {@code /state} give it as JSON; {@code POST /_sandbox/{vendor}/faults} and {@code /_sandbox/reset} steer it.
 *
 * <p>Twilio and Klaviyo requests are checked against the vendors' published OpenAPI documents in {@code specsDir}
 * ({@code ../shared/specs/vendors}); the others against JSON Schemas written from CHANNELS.md.
 */
public final class ChannelSandbox implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json;
    private final Map<String, VendorStub> vendors = new LinkedHashMap<>();
    private final MetaStub meta;
    private final GoogleStub google;
    private final OAuthStub oauth;
    private final KlaviyoStub klaviyo;
    private final MailchimpStub mailchimp;
    private final TwilioStub twilio;
    private final FcmStub fcm;
    private final WebhookStub webhook;

    private ChannelSandbox(HttpServer server, ExecutorService executor, Path specsDir) throws IOException {
        this.server = server;
        this.executor = executor;
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Clock clock = Clock.systemUTC();
        Path twilioSpec = specsDir == null ? null : specsDir.resolve("twilio_api_v2010.json");
        Path klaviyoSpec = specsDir == null ? null : specsDir.resolve("klaviyo_stable.json");
        oauth = add(new OAuthStub(json, clock));
        meta = add(new MetaStub(json, clock));
        google = add(new GoogleStub(json, clock, oauth));
        klaviyo = add(new KlaviyoStub(json, clock, klaviyoSpec != null && Files.isRegularFile(klaviyoSpec)
                ? new OpenApiContract("Klaviyo", klaviyoSpec, json) : null));
        mailchimp = add(new MailchimpStub(json, clock));
        twilio = add(new TwilioStub(json, clock, twilioSpec != null && Files.isRegularFile(twilioSpec)
                ? new OpenApiContract("Twilio", twilioSpec, json) : null));
        fcm = add(new FcmStub(json, clock, oauth));
        webhook = add(new WebhookStub(json, clock));
        for (VendorStub vendor : vendors.values()) {
            server.createContext("/" + vendor.name() + "/", vendor::serve);
        }
        server.createContext("/_sandbox/", this::control);
        server.createContext("/", this::page);
    }

    private <T extends VendorStub> T add(T vendor) {
        vendors.put(vendor.name(), vendor);
        return vendor;
    }

    /**
     * Starts on the loopback interface; {@code port} 0 picks a free one. {@code specsDir} holds the vendors' OpenAPI
     * documents; null (or missing files) turns the Twilio and Klaviyo contract checks off.
     */
    public static ChannelSandbox start(int port, Path specsDir) {
        // The JDK server writes a response's headers and body apart; with Nagle's algorithm on, the body then waits for
        // the client's delayed ACK (~40 ms a request). Read once, when the server classes first load (so
        // DevOidcIssuer sets it as well).
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            // A hanging vendor holds only its own requests' threads.
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "channel-sandbox");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            ChannelSandbox sandbox = new ChannelSandbox(server, executor, specsDir);
            server.start();
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ../shared/specs/vendors} beside a checkout at {@code root}. */
    public static Path specsBeside(Path root) {
        return root.resolve("../shared/specs/vendors").normalize();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The base URL a destination of this vendor uses ({@code meta} → {@code .../meta/v27.0}). */
    public String baseUrl(String vendor) {
        return url() + (vendor.equals("meta") ? "/meta/v27.0" : "/" + vendor);
    }

    public String tokenUrl() {
        return url() + "/oauth2/token";
    }

    public MetaStub meta() {
        return meta;
    }

    public GoogleStub google() {
        return google;
    }

    public OAuthStub oauth() {
        return oauth;
    }

    public KlaviyoStub klaviyo() {
        return klaviyo;
    }

    public MailchimpStub mailchimp() {
        return mailchimp;
    }

    public TwilioStub twilio() {
        return twilio;
    }

    public FcmStub fcm() {
        return fcm;
    }

    public WebhookStub webhook() {
        return webhook;
    }

    /** Every contract violation any stub saw. */
    public List<String> violations() {
        List<String> all = new ArrayList<>();
        vendors.values().forEach(v -> all.addAll(v.violations()));
        return all;
    }

    public void reset() {
        vendors.values().forEach(VendorStub::reset);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void control(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        String method = exchange.getRequestMethod();
        if (parts.length == 3 && parts[2].equals("reset") && method.equals("POST")) {
            reset();
            respond(exchange, 200, "application/json", json.writeValueAsBytes(Map.of("reset", true)));
            return;
        }
        VendorStub vendor = parts.length == 4 ? vendors.get(parts[2]) : null;
        if (vendor == null) {
            respond(exchange, 404, "application/json", json.writeValueAsBytes(Map.of("vendors", vendors.keySet())));
            return;
        }
        Object answer = switch (parts[3] + " " + method) {
            case "received GET" -> vendor.received();
            case "state GET" -> vendor.state();
            case "violations GET" -> vendor.violations();
            case "faults POST" -> applyFaults(vendor, json.readTree(exchange.getRequestBody()));
            case "faults DELETE" -> {
                vendor.faults().clear();
                yield Map.of("cleared", true);
            }
            default -> null;
        };
        if (answer == null) {
            respond(exchange, 404, "application/json", json.writeValueAsBytes(Map.of("error", "unknown control")));
            return;
        }
        respond(exchange, 200, "application/json", json.writerWithDefaultPrettyPrinter().writeValueAsBytes(answer));
    }

    private static Map<String, Object> applyFaults(VendorStub vendor, JsonNode body) {
        Faults faults = vendor.faults();
        if (body.has("failForSeconds")) {
            faults.failFor(Duration.ofSeconds(body.path("failForSeconds").asLong()), body.path("status").asInt(503));
        }
        if (body.has("rateLimitCalls")) {
            faults.rateLimit(body.path("rateLimitCalls").asInt(), body.path("retryAfterSeconds").asInt(1));
        }
        if (body.has("hangSeconds")) {
            faults.hang(Duration.ofSeconds(body.path("hangSeconds").asLong()));
        }
        if (body.has("refuseCredentials")) {
            faults.refuseCredentials(body.path("refuseCredentials").asBoolean());
        }
        body.path("stopNumbers").forEach(n -> faults.stop(n.asText()));
        body.path("deadTokens").forEach(t -> faults.deadTokens(t.asText()));
        body.path("refuseEmails").forEach(e -> faults.refuseEmails(e.asText()));
        return Map.of("applied", true);
    }

    /** The listing: per vendor, requests, violations, state, and the last requests with their bodies. */
    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            respond(exchange, 404, "text/plain", "no such vendor stub".getBytes(StandardCharsets.UTF_8));
            return;
        }
        StringBuilder html = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>Satsuma channel sandbox</title>
                <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem}h2{margin-top:2rem}
                pre{background:#f6f6f3;padding:.6rem;overflow-x:auto;font-size:.8rem;max-height:18rem}
                .bad{color:#b00020}.meta{color:#666;font-size:.85rem}</style></head><body>
                <h1>Satsuma channel sandbox</h1>
                <p class="meta">Local stand-ins for the channels activation-service syncs to. Each checks every request
                against the vendor's contract and keeps what a real vendor would. JSON: <code>/_sandbox/{vendor}/received</code>,
                <code>/_sandbox/{vendor}/state</code>.</p>""");
        for (VendorStub vendor : vendors.values()) {
            List<Received> received = vendor.received();
            List<String> violations = vendor.violations();
            html.append("<h2>").append(vendor.name()).append("</h2><p>").append(vendor.requests())
                    .append(" requests, <span class=\"").append(violations.isEmpty() ? "" : "bad").append("\">")
                    .append(violations.size()).append(" contract violations</span>; base URL <code>")
                    .append(baseUrl(vendor.name())).append("</code></p><pre>")
                    .append(escape(json.writerWithDefaultPrettyPrinter().writeValueAsString(vendor.state())))
                    .append("</pre>");
            for (int i = received.size() - 1; i >= Math.max(0, received.size() - 5); i--) {
                Received r = received.get(i);
                html.append("<p class=\"meta\">").append(r.at()).append(" ").append(escape(r.method())).append(" ")
                        .append(escape(r.path())).append(" &rarr; ").append(r.status()).append("</p><pre>")
                        .append(escape(pretty(r.body()))).append("</pre>");
            }
        }
        html.append("</body></html>");
        respond(exchange, 200, "text/html; charset=utf-8", html.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String pretty(String body) {
        try {
            return body.startsWith("{") ? json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(body)) : body;
        } catch (IOException e) {
            return body;
        }
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Runs the sandbox alone: {@code [port] [specsDir]}. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8190;
        Path specs = args.length > 1 ? Path.of(args[1]) : specsBeside(Path.of("."));
        ChannelSandbox sandbox = start(port, specs);
        System.out.println("Channel sandbox on " + sandbox.url() + " (contracts from " + specs + ")");
        Thread.currentThread().join();
    }
}
