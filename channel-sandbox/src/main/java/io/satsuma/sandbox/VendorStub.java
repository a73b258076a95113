package io.satsuma.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A vendor's stand-in, mounted under {@code /<name>}: checks each request against the vendor's contract, keeps the
 * state the vendor would (an audience, a list, sent messages), answers as the vendor does, and records the last
 * requests. A request that breaks the contract is answered 400 with the violations and changes nothing.
 */
public abstract class VendorStub {
    static final int KEPT = 200;
    private static final int KEPT_BODY_CHARS = 64 * 1024;

    protected final ObjectMapper json;
    protected final Clock clock;
    private final String name;
    private final Faults faults;
    private final Deque<Received> recent = new ArrayDeque<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();

    protected VendorStub(String name, ObjectMapper json, Clock clock) {
        this.name = name;
        this.json = json;
        this.clock = clock;
        this.faults = new Faults(clock);
    }

    public String name() {
        return name;
    }

    /** What this stub does wrong on purpose. */
    public Faults faults() {
        return faults;
    }

    /** Requests received so far (every one, including faulted ones). */
    public long requests() {
        return requests.get();
    }

    /** Every contract violation seen since the last reset. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The last requests, oldest first. */
    public synchronized List<Received> received() {
        return List.copyOf(recent);
    }

    /** The vendor-side state, for the listing and tests. */
    public abstract Object state();

    /** Forgets state, recordings and faults. */
    public synchronized void reset() {
        recent.clear();
        violations.clear();
        requests.set(0);
        faults.clear();
        clearState();
    }

    protected abstract void clearState();

    /** Handles a valid, unfaulted request; adds violations to the call when it breaks the contract. */
    protected abstract Reply handle(Call call) throws Exception;

    /** The vendor's answer to refused credentials. */
    protected abstract Reply unauthorized();

    /** The vendor's answer during an outage. */
    protected Reply unavailable(int status) {
        return Reply.json(status, Map.of("error", Map.of("code", status, "message", "sandbox outage")));
    }

    void serve(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Call call = new Call(exchange, "/" + name);
        Reply reply;
        try {
            if (!faults.hang().isZero()) {
                Thread.sleep(faults.hang().toMillis());
            }
            if (faults.failing()) {
                reply = unavailable(faults.failStatus());
            } else if (faults.takeRateLimit()) {
                reply = new Reply(429, Map.of("error", Map.of("code", 429, "message", "sandbox rate limit")),
                        Map.of("Retry-After", Integer.toString(faults.retryAfterSeconds())));
            } else if (faults.refusingCredentials()) {
                reply = unauthorized();
            } else {
                reply = handle(call);
                if (!call.violations.isEmpty()) {
                    reply = Reply.json(400, Map.of("sandbox_violations", call.violations));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = Reply.empty(503);
        } catch (Exception e) {
            call.violation(name + ": the stub could not read the request: " + e);
            reply = Reply.json(400, Map.of("sandbox_violations", call.violations));
        }
        record(call, reply);
        write(exchange, reply);
    }

    protected JsonNode readJson(Call call) {
        try {
            return json.readTree(call.body);
        } catch (IOException e) {
            call.violation(name + ": the body is not JSON");
            return json.createObjectNode();
        }
    }

    private synchronized void record(Call call, Reply reply) {
        violations.addAll(call.violations);
        String body = call.body.length() > KEPT_BODY_CHARS
                ? call.body.substring(0, KEPT_BODY_CHARS) + "... (" + call.body.length() + " characters)" : call.body;
        recent.addLast(new Received(name, call.method, call.path, call.rawQuery, call.recordedHeaders(), body,
                reply.status(), List.copyOf(call.violations), clock.instant()));
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
    }

    private void write(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            exchange.close();
            return;
        }
        byte[] bytes = json.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
