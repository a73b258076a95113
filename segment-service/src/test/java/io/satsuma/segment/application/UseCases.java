package io.satsuma.segment.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.satsuma.segment.application.InMemorySegmentStores.InMemoryBackfillJobs;
import io.satsuma.segment.application.InMemorySegmentStores.InMemoryCatalog;
import io.satsuma.segment.application.InMemorySegmentStores.InMemoryMembershipCache;
import io.satsuma.segment.application.InMemorySegmentStores.InMemoryMemberships;
import io.satsuma.segment.application.InMemorySegmentStores.InMemoryProfileStates;
import io.satsuma.segment.application.InMemorySegmentStores.InMemorySegments;
import io.satsuma.segment.application.InMemorySegmentStores.InMemoryTimers;
import io.satsuma.segment.domain.ObservedEvent;
import io.satsuma.support.testing.InMemoryOutbox;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** segment-service's use cases wired over in-memory ports, with a clock the test moves. */
final class UseCases {
    static final String WS = "shop";
    /** As Quarkus configures it: instants as ISO-8601 text (snapshot aggregates become condition attributes so). */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T12:00:00Z"));
    final InMemorySegments segments = new InMemorySegments();
    final InMemoryProfileStates states = new InMemoryProfileStates();
    final InMemoryMemberships memberships = new InMemoryMemberships(states, segments);
    final InMemoryTimers timers = new InMemoryTimers();
    final InMemoryCatalog catalog = new InMemoryCatalog();
    final InMemoryBackfillJobs jobs = new InMemoryBackfillJobs();
    final InMemoryMembershipCache cache = new InMemoryMembershipCache();
    final InMemoryOutbox outbox = new InMemoryOutbox();
    final List<BackfillSegment.JobStarted> started = new ArrayList<>();
    final MembershipCacheRefresh cacheRefresh = new MembershipCacheRefresh(memberships, cache, Runnable::run);
    final EvaluateMembership evaluate = new EvaluateMembership(segments, states, memberships, timers, outbox, cacheRefresh,
            clock);
    final BackfillSegment backfill = new BackfillSegment(jobs, null, states, new Recorded<>(started), clock);
    final SegmentDirectory directory = new SegmentDirectory(segments, Runnable::run, clock);
    final DefineSegment define = new DefineSegment(segments, evaluate, backfill, catalog, directory, cacheRefresh, clock);
    final TrackProfiles track = new TrackProfiles(states, evaluate, catalog, cacheRefresh, JSON);
    final SweepTimers sweep = new SweepTimers(timers, evaluate, clock);

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Defines a segment through the use case, as a client would. */
    String segment(String name, String condition) {
        return define.create(WS, new DefineSegment.Definition(name, null, json(condition), null, null, null)).segment().id();
    }

    /** An event of the profile, as consumed from profile-service (and seen by the catalog). */
    void event(String profileId, String name, Instant at, Map<String, Object> properties) {
        states.lock(WS, profileId);
        states.addEvent(WS, profileId, new ObservedEvent(UUID.randomUUID().toString(), name, at, properties));
        catalog.recordEvent(WS, name, properties);
    }

    Instant now() {
        return clock.instant();
    }

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A CDI event that only records what was fired. */
    record Recorded<T>(List<T> fired) implements Event<T> {
        @Override
        public void fire(T event) {
            fired.add(event);
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<T> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends T> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
