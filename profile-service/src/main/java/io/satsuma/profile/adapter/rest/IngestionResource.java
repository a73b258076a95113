package io.satsuma.profile.adapter.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.satsuma.profile.application.IngestEvents;
import io.satsuma.profile.application.ManageSources;
import io.satsuma.profile.domain.IngestionRate;
import io.satsuma.profile.domain.SegmentMessages;
import io.satsuma.profile.domain.Source;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.zip.GZIPInputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Segment tracking API: existing Segment SDKs work unchanged when pointed here. Authenticated
 * by the source's write key as the HTTP Basic user name (or a {@code writeKey} body field).
 * Answers once the events are durable in Kafka.
 */
@Path("/v1")
@Tag(name = "Ingestion", description = "Segment-compatible tracking API")
@SecurityRequirement(name = "writeKey")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class IngestionResource {
    private static final Map<String, Boolean> SUCCESS = Map.of("success", true);

    private final IngestEvents ingest;
    private final ManageSources sources;
    private final IngestionRate rate;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    IngestionResource(IngestEvents ingest, ManageSources sources, IngestionRate rate, ObjectMapper json,
                      MeterRegistry meters) {
        this.ingest = ingest;
        this.sources = sources;
        this.rate = rate;
        this.json = json;
        this.meters = meters;
    }

    @POST
    @Path("{type: track|identify|page|screen|alias|group}")
    @Blocking
    @Operation(operationId = "trackCall", summary = "One track, identify, page, screen, alias or group call",
            description = "A Segment-spec message. Accepted once durable in Kafka; identity resolution and the profile "
                    + "update follow within milliseconds. Idempotent on `messageId`. At most 32 KB. JSON whatever the Content-Type; "
                    + "`Content-Encoding: gzip` accepted.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "order", value = "{\"userId\": \"ann-42\", \"event\": \"Order Completed\", "
            + "\"properties\": {\"revenue\": 42.5}, \"context\": {\"traits\": {\"email\": \"ann@example.com\"}}}")))
    @APIResponse(responseCode = "200", description = "accepted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "accepted", value = "{\"success\": true}")))
    @APIResponse(responseCode = "400", description = "the message is invalid; `errors` names each bad field; nothing was accepted")
    @APIResponse(responseCode = "401", description = "no write key, or an unknown or revoked one")
    @APIResponse(responseCode = "413", description = "the message is larger than 32 KB (once gunzipped)")
    @APIResponse(responseCode = "415", description = "a Content-Encoding other than gzip")
    @APIResponse(responseCode = "429", description = "the write key is over its rate (messages per second); `Retry-After` says when to retry")
    public CompletionStage<Map<String, Boolean>> single(
            @Parameter(description = "the call's type") @PathParam("type") String type,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_ENCODING) String encoding,
                                                        byte[] body) throws Exception {
        return counted(() -> {
            JsonNode message = read(body, encoding, SegmentMessages.MAX_MESSAGE_BYTES).json();
            Source source = authenticate(authorization, message);
            admit(source, 1);
            return ingest.single(source, type, message);
        });
    }

    @POST
    @Path("{kind: batch|import}")
    @Blocking
    @Operation(operationId = "batchCall", summary = "A batch of calls",
            description = "`{\"batch\": [messages], \"sentAt\"?, \"context\"?}` as analytics-java and analytics-node send "
                    + "to /v1/batch or /v1/import. All messages valid or none accepted. At most 500 KB, 32 KB a message. JSON "
                    + "whatever the Content-Type; `Content-Encoding: gzip` accepted.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "two calls", value = "{\"batch\": [{\"type\": \"identify\", \"userId\": \"ann-42\", "
            + "\"traits\": {\"email\": \"ann@example.com\"}}, {\"type\": \"track\", \"userId\": \"ann-42\", "
            + "\"event\": \"Product Viewed\", \"properties\": {\"product_id\": \"sku-1\"}}]}")))
    @APIResponse(responseCode = "200", description = "all accepted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "accepted", value = "{\"success\": true}")))
    @APIResponse(responseCode = "400", description = "a message is invalid (pointers like `/batch/3/event`); nothing was accepted")
    @APIResponse(responseCode = "401", description = "no write key, or an unknown or revoked one")
    @APIResponse(responseCode = "413", description = "the batch is larger than 500 KB (once gunzipped)")
    @APIResponse(responseCode = "415", description = "a Content-Encoding other than gzip")
    @APIResponse(responseCode = "429", description = "the write key is over its rate (messages per second); `Retry-After` says when to retry")
    public CompletionStage<Map<String, Boolean>> batch(
            @Parameter(description = "`batch` or `import`: the same endpoint under the names SDKs use")
            @PathParam("kind") String kind,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_ENCODING) String encoding,
                                                       byte[] body) throws Exception {
        return counted(() -> {
            Body batch = read(body, encoding, SegmentMessages.MAX_BATCH_BYTES);
            Source source = authenticate(authorization, batch.json());
            admit(source, Math.max(1, batch.json().path("batch").size()));
            return ingest.batch(source, batch.json(), batch.bytes());
        });
    }

    /**
     * Counts what the call did: {@code satsuma.ingestion.messages} accepted, or one {@code satsuma.ingestion.refusals}
     * by reason (the problem's status) — refused at once or when the events could not be made durable.
     */
    private CompletionStage<Map<String, Boolean>> counted(Callable<CompletionStage<Integer>> call) throws Exception {
        try {
            return call.call().whenComplete((accepted, failure) -> {
                if (failure == null) {
                    meters.counter("satsuma.ingestion.messages").increment(accepted);
                } else {
                    refused(failure);
                }
            }).thenApply(n -> SUCCESS);
        } catch (Exception e) {
            refused(e);
            throw e;
        }
    }

    private void refused(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String reason;
        if (cause instanceof ProblemException problem) {
            reason = switch (problem.status()) {
                case 400 -> "invalid";
                case 401 -> "unauthenticated";
                case 413 -> "too_large";
                case 415 -> "unsupported_encoding";
                case 429 -> "rate_limited";
                default -> "status_" + problem.status();
            };
        } else if (cause instanceof InvalidInput) {
            reason = "invalid";
        } else if (cause instanceof JsonProcessingException) {
            reason = "unreadable";
        } else {
            reason = "error";
        }
        meters.counter("satsuma.ingestion.refusals", "reason", reason).increment();
    }

    /**
     * The body as JSON, whatever its Content-Type says (SDKs label JSON as text or even as form data), after
     * {@code Content-Encoding: gzip} is undone — reading at most {@code limit} + 1 bytes of it, so a small body that
     * would inflate to gigabytes costs {@code limit} bytes of memory before it is refused. Sizes are checked before
     * anything is parsed.
     */
    private Body read(byte[] body, String encoding, int limit) throws IOException {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("the request body is empty");
        }
        byte[] raw = body;
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            if (!encoding.trim().equalsIgnoreCase("gzip")) {
                throw new ProblemException(415, "Unsupported content encoding",
                        "Content-Encoding '" + encoding.trim() + "' is not supported: send gzip or none", List.of());
            }
            raw = gunzip(body, limit);
        }
        if (raw.length > limit) {
            throw ProblemException.tooLarge("the body is " + raw.length + " bytes; the limit is " + limit);
        }
        return new Body(json.readTree(raw), raw.length);
    }

    /** A request body as JSON, and its size once decoded. */
    private record Body(JsonNode json, int bytes) {
    }

    private static byte[] gunzip(byte[] body, int limit) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] raw = in.readNBytes(limit + 1);
            if (raw.length > limit) {
                throw ProblemException.tooLarge("the body inflates to more than " + limit + " bytes, the limit");
            }
            return raw;
        } catch (IOException e) {
            throw ProblemException.badRequest("the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
        }
    }

    /** The source's messages within its rate (a token bucket per write key), or 429 with when to try again. */
    private void admit(Source source, int messages) {
        IngestionRate.Decision decision = rate.take(source.id(), messages);
        if (!decision.allowed()) {
            throw ProblemException.tooManyRequests("this write key is sending faster than its limit; " + messages
                    + " message(s) not accepted, retry after " + decision.retryAfterSeconds() + " s",
                    decision.retryAfterSeconds());
        }
    }

    private Source authenticate(String authorization, JsonNode body) {
        String writeKey = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                writeKey = colon >= 0 ? decoded.substring(0, colon) : decoded;
            } catch (IllegalArgumentException e) {
                throw ProblemException.unauthorized("the Basic credentials are not valid base64");
            }
        } else if (body != null && body.path("writeKey").isTextual()) {
            writeKey = body.get("writeKey").asText();
        }
        if (writeKey == null || writeKey.isBlank()) {
            throw ProblemException.unauthorized("a write key is required as the HTTP Basic user name");
        }
        return sources.authenticate(writeKey)
                .orElseThrow(() -> ProblemException.unauthorized("unknown or revoked write key"));
    }
}
