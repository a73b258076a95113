package io.satsuma.profile.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.profile.domain.RawEvents;
import io.satsuma.profile.domain.SegmentMessages;
import io.satsuma.profile.domain.Source;
import io.satsuma.profile.domain.Violation;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Accepts Segment tracking-API calls: every message of the call is validated first, and only if all
 * are valid are they appended to the event log. A call is accepted whole or not at all.
 */
@ApplicationScoped
public class IngestEvents {
    private final RawEvents rawEvents;
    private final Clock clock;

    IngestEvents(RawEvents rawEvents, Clock clock) {
        this.rawEvents = rawEvents;
        this.clock = clock;
    }

    /** One message sent to {@code /v1/track}, {@code /v1/identify}, ... */
    public CompletionStage<Integer> single(Source source, String type, JsonNode message) {
        // The endpoint already refused bodies over the per-message limit.
        return accept(source, List.of(SegmentMessages.parse(message, "", type, null, clock.instant(), source.id(), false)));
    }

    /** A {@code /v1/batch} or {@code /v1/import} body: {@code {"batch": [...], "sentAt"?, "context"?}}. */
    public CompletionStage<Integer> batch(Source source, JsonNode body, int bodyBytes) {
        if (body == null || !body.isObject() || !body.path("batch").isArray()) {
            throw new InvalidInput("a batch call needs a JSON object with a 'batch' array",
                    List.of(new FieldError("/batch", "required array of messages")));
        }
        if (body.get("batch").isEmpty()) {
            throw new InvalidInput("the batch is empty",
                    List.of(new FieldError("/batch", "must hold at least one message")));
        }
        Instant receivedAt = clock.instant();
        List<SegmentMessages.Parsed> parsed = new ArrayList<>();
        int i = 0;
        for (JsonNode message : body.get("batch")) {
            parsed.add(SegmentMessages.parse(message, "/batch/" + i++, null, body, receivedAt, source.id(),
                    bodyBytes > SegmentMessages.MAX_MESSAGE_BYTES));
        }
        return accept(source, parsed);
    }

    private CompletionStage<Integer> accept(Source source, List<SegmentMessages.Parsed> parsed) {
        List<Violation> violations = parsed.stream().flatMap(p -> p.violations().stream()).toList();
        if (!violations.isEmpty()) {
            long bad = parsed.stream().filter(p -> !p.valid()).count();
            throw new InvalidInput(bad + " of " + parsed.size()
                            + " message(s) are invalid; nothing was accepted",
                    violations.stream().map(v -> new FieldError(v.pointer(), v.message())).toList());
        }
        List<IngestedEvent> events = parsed.stream().map(SegmentMessages.Parsed::event).toList();
        return rawEvents.append(source.workspace(), events).thenApply(done -> events.size());
    }
}
