package io.satsuma.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.satsuma.support.config.ConsumerConfig;
import io.satsuma.support.tracing.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * The one way a Satsuma service consumes a topic, a poll at a time:
 * <ol>
 *   <li>each record is decoded; one that cannot be is dead-lettered at once (it never will be);</li>
 *   <li>the poll is handled in one transaction;</li>
 *   <li>a <em>transient</em> failure ({@link Failures#isTransient}: PostgreSQL restarting, broker unreachable,
 *       deadlock, serialization failure) is retried with exponential backoff, offsets uncommitted, for up to
 *       {@code satsuma.consumer.retry-for} (minutes); so a database restart delays records, it never
 *       dead-letters them;</li>
 *   <li>any other failure falls back to one transaction per record, so one bad record cannot hold back the
 *       others: each one that fails deterministically (or outlasts the retries) goes to {@code <topic>.dlq}
 *       with a reason free of personal data, and can be listed and replayed ({@code /v1/dead-letters}).</li>
 * </ol>
 * The adapter's method returns only when every record is handled or dead-lettered, so SmallRye commits the
 * poll's offsets only then. Counted in {@code satsuma.consumer.records} (by channel and outcome) and
 * {@code satsuma.consumer.retries}; timed in {@code satsuma.consumer.handling} (a poll handled in one transaction:
 * in segment-service, the evaluation of its profile changes) and {@code satsuma.consumer.delay} (publish to effect,
 * per record).
 */
@ApplicationScoped
public class ConsumerPipeline {
    private static final Logger LOG = Logger.getLogger(ConsumerPipeline.class);
    private static final int ATTEMPTS_ALONE = 3;
    /** Links to the other records' traces a poll's span keeps, at most (a poll may hold hundreds). */
    private static final int MAX_LINKS = 32;

    private final DeadLetters deadLetters;
    private final MeterRegistry meters;
    private final Instance<PollHandler<?>> handlers;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration retryFor;
    private final Object pause = new Object();
    private final Tracer tracer;
    private volatile boolean stopping;

    ConsumerPipeline(DeadLetters deadLetters, MeterRegistry meters, ConsumerConfig config,
                     @Any Instance<PollHandler<?>> handlers, Tracer tracer) {
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.tracer = tracer;
        this.handlers = handlers;
        this.initialBackoff = config.retryInitialBackoff();
        this.maxBackoff = config.retryMaxBackoff();
        this.retryFor = config.retryFor();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        synchronized (pause) {
            pause.notifyAll();
        }
    }

    /** A decoded record and where it came from. */
    private record Item<T>(ConsumerRecord<String, String> record, T value) {
    }

    /**
     * Handles one poll as described above; returns once every record is handled or dead-lettered.
     *
     * @throws InterruptedException when the service stops meanwhile: the poll stays uncommitted and is redelivered
     */
    public <T> void consume(PollHandler<T> handler, ConsumerRecords<String, String> poll) throws InterruptedException {
        if (poll.isEmpty()) {
            return;
        }
        Span span = processSpan(handler, poll);
        try (Scope current = span.makeCurrent()) {
            consumeInSpan(handler, poll);
        } catch (InterruptedException | RuntimeException e) {
            span.recordException(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * One span per poll, the child of its first record's trace and linked to the others' (a poll is handled in one
     * transaction, so what it writes — outbox events, deliveries — continues the first record's trace).
     */
    private Span processSpan(PollHandler<?> handler, ConsumerRecords<String, String> poll) {
        SpanBuilder span = tracer.spanBuilder(handler.channel() + " process").setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.batch.message_count", (long) poll.count());
        boolean parented = false;
        int links = 0;
        // Headers are read only until the parent and the links are found: a poll holds up to 2,000 records.
        for (ConsumerRecord<String, String> record : poll) {
            if (links == MAX_LINKS) {
                break;
            }
            String traceParent = TraceContext.of(record.headers());
            if (traceParent == null) {
                continue;
            }
            SpanContext sent = Span.fromContext(TraceContext.parse(traceParent)).getSpanContext();
            if (!sent.isValid()) {
                continue;
            }
            if (!parented) {
                span.setParent(Context.root().with(Span.wrap(sent)));
                parented = true;
            } else {
                span.addLink(sent);
                links++;
            }
        }
        if (!parented) {
            span.setNoParent();
        }
        return span.startSpan();
    }

    private <T> void consumeInSpan(PollHandler<T> handler, ConsumerRecords<String, String> poll) throws InterruptedException {
        List<Item<T>> items = new ArrayList<>();
        for (ConsumerRecord<String, String> record : poll) {
            try {
                T value = handler.decode(record);
                if (value == null) {
                    count(handler, "skipped", 1);
                } else {
                    items.add(new Item<>(record, value));
                }
            } catch (Exception unreadable) {
                deadLetter(handler, record, "unreadable record: " + Failures.describe(unreadable));
            }
        }
        if (items.isEmpty()) {
            return;
        }
        Retries retries = new Retries();
        long started = System.nanoTime();
        Outcome whole = attempt(handler, items, retries);
        if (whole.handled()) {
            meters.timer("satsuma.consumer.handling", "channel", handler.channel())
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            count(handler, "handled-in-batch", items.size());
            recordDelays(handler, items);
            return;
        }
        if (whole.exhausted()) {
            deadLetterAll(handler, items, whole.reason());
            return;
        }
        LOG.debugf("a poll of %d records on %s failed (%s); handling them one by one", items.size(), handler.channel(),
                whole.reason());
        for (int i = 0; i < items.size(); i++) {
            Item<T> item = items.get(i);
            Outcome alone = items.size() == 1 ? whole : attempt(handler, List.of(item), retries);
            // A failure of its own may still be a race with another instance (the same identifier created
            // concurrently): a few quick attempts before the record is given up on.
            for (int again = 1; !alone.handled() && !alone.exhausted() && again < ATTEMPTS_ALONE; again++) {
                pause(20L * again);
                alone = attempt(handler, List.of(item), retries);
            }
            if (alone.handled()) {
                count(handler, "handled-alone", 1);
                recordDelays(handler, List.of(item));
            } else if (alone.exhausted()) {
                deadLetterAll(handler, items.subList(i, items.size()), alone.reason());
                return;
            } else {
                deadLetter(handler, item.record(), alone.reason());
            }
        }
    }

    /** What an operator's replay of one dead letter did. */
    public record Replay(boolean handled, String reason) {
    }

    /**
     * Handles one dead-lettered record again, through its channel's handler, in a transaction of its own (retrying
     * transient failures for up to 30 s). Handlers are idempotent, so replaying twice changes nothing more.
     */
    public Replay replay(String channel, ConsumerRecord<String, String> record) throws InterruptedException {
        Optional<PollHandler<?>> handler = handler(channel);
        if (handler.isEmpty()) {
            return new Replay(false, "no consumer for channel " + channel + " in this service");
        }
        return replay(handler.get(), record);
    }

    private <T> Replay replay(PollHandler<T> handler, ConsumerRecord<String, String> record) throws InterruptedException {
        T value;
        try {
            value = handler.decode(record);
        } catch (Exception unreadable) {
            return new Replay(false, "unreadable record: " + Failures.describe(unreadable));
        }
        if (value == null) {
            return new Replay(true, null);
        }
        Outcome outcome = attempt(handler, List.of(new Item<>(record, value)), new Retries(Duration.ofSeconds(30)));
        count(handler, outcome.handled() ? "replayed" : "replay-failed", 1);
        return new Replay(outcome.handled(), outcome.handled() ? null : outcome.reason());
    }

    /** The channels this service consumes through the pipeline. */
    public List<String> channels() {
        return handlers.stream().map(PollHandler::channel).toList();
    }

    private Optional<PollHandler<?>> handler(String channel) {
        return handlers.stream().filter(h -> h.channel().equals(channel) || h.formerChannels().contains(channel))
                .findFirst();
    }

    /** How an attempt ended: handled, failed for good, or failed transiently for longer than we wait. */
    private record Outcome(boolean handled, boolean exhausted, String reason) {
        static final Outcome HANDLED = new Outcome(true, false, null);
    }

    /** The poll's retry clock: starts at the first transient failure, restarts after a success. */
    private final class Retries {
        private final Duration budget;
        private long failingSince = -1;
        private long backoff = initialBackoff.toMillis();

        Retries() {
            this(retryFor);
        }

        Retries(Duration budget) {
            this.budget = budget;
        }

        void succeeded() {
            failingSince = -1;
            backoff = initialBackoff.toMillis();
        }

        /** False once the budget is spent; otherwise waits the next backoff. */
        boolean waitBeforeRetry() throws InterruptedException {
            long now = System.nanoTime();
            if (failingSince < 0) {
                failingSince = now;
            }
            if (now - failingSince > budget.toNanos()) {
                return false;
            }
            pause(backoff);
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
            return true;
        }
    }

    private <T> Outcome attempt(PollHandler<T> handler, List<Item<T>> items, Retries retries) throws InterruptedException {
        List<T> values = items.stream().map(Item::value).toList();
        while (true) {
            checkStopping();
            try {
                handler.handle(values);
                retries.succeeded();
                return Outcome.HANDLED;
            } catch (RuntimeException e) {
                String reason = Failures.describe(e);
                if (!Failures.isTransient(e)) {
                    return new Outcome(false, false, reason);
                }
                meters.counter("satsuma.consumer.retries", "channel", handler.channel()).increment();
                LOG.warnf("%d record(s) on %s failed transiently (%s); retrying, offsets uncommitted", items.size(),
                        handler.channel(), reason);
                if (!retries.waitBeforeRetry()) {
                    return new Outcome(false, true, "transient failures for longer than " + retries.budget + ": " + reason);
                }
            }
        }
    }

    private <T> void deadLetterAll(PollHandler<T> handler, List<Item<T>> items, String reason) throws InterruptedException {
        for (Item<T> item : items) {
            deadLetter(handler, item.record(), reason);
        }
    }

    private void deadLetter(PollHandler<?> handler, ConsumerRecord<String, String> record, String reason)
            throws InterruptedException {
        checkStopping();
        deadLetters.send(handler.channel(), record, reason, System.nanoTime() + retryFor.toNanos());
        count(handler, "dead-lettered", 1);
    }

    /**
     * How long after it was published each handled record took effect: the freshness of this hop (producer's
     * timestamp to the end of its transaction), which is what "real time" promises and what alerts watch.
     */
    private <T> void recordDelays(PollHandler<T> handler, List<Item<T>> items) {
        Timer delay = meters.timer("satsuma.consumer.delay", "channel", handler.channel());
        long now = System.currentTimeMillis();
        for (Item<T> item : items) {
            delay.record(Math.max(0, now - item.record().timestamp()), TimeUnit.MILLISECONDS);
        }
    }

    private void count(PollHandler<?> handler, String outcome, int n) {
        meters.counter("satsuma.consumer.records", "channel", handler.channel(), "outcome", outcome).increment(n);
    }

    private void pause(long millis) throws InterruptedException {
        synchronized (pause) {
            if (!stopping) {
                pause.wait(millis);
            }
        }
        checkStopping();
    }

    private void checkStopping() throws InterruptedException {
        if (stopping) {
            throw new InterruptedException("the service is stopping; the poll will be redelivered");
        }
    }
}
