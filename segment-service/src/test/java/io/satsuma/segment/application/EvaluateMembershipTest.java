package io.satsuma.segment.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.segment.domain.MembershipChange;
import io.satsuma.segment.domain.Memberships;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EvaluateMembership} over in-memory ports: entries, exits at their exact instant, timers, the cache. */
class EvaluateMembershipTest {
    private static final String RECENT_BUYERS = """
            {"event": "Order Completed", "within": "P30D", "op": "gte", "value": 1}""";

    private final UseCases app = new UseCases();

    @Test
    void aProfileWhoseOrderIsInTheWindowEntersAndATimerIsSetForTheExactExit() {
        String segment = app.segment("Recent buyers", RECENT_BUYERS);
        Instant ordered = app.now().minus(Duration.ofDays(2));
        app.event("p1", "Order Completed", ordered, Map.of("revenue", 10));

        List<MembershipChange> changes = app.evaluate.evaluate(UseCases.WS, "p1", "event Order Completed");

        assertThat(changes).hasSize(1).first().isInstanceOf(MembershipChange.Entered.class);
        assertThat(app.outbox.payloads(CloudEvents.TYPE_MEMBERSHIP_CHANGED, MembershipChanged.class))
                .extracting(MembershipChanged::segmentId, MembershipChanged::change, MembershipChanged::sequence,
                        MembershipChanged::at)
                .containsExactly(tuple(segment, MembershipChanged.ENTERED, 1L, app.now()));
        assertThat(app.timers.dueAt(UseCases.WS, "p1")).contains(ordered.plus(Duration.ofDays(30)));
        assertThat(app.memberships.current(UseCases.WS, "p1").segmentIds()).containsExactly(segment);
    }

    @Test
    void theTimerFiresAtTheBoundaryAndTheExitIsRecordedAtThatInstantThoughTheSweepComesLater() {
        app.segment("Recent buyers", RECENT_BUYERS);
        Instant ordered = app.now().minus(Duration.ofDays(2));
        app.event("p1", "Order Completed", ordered, Map.of());
        app.evaluate.evaluate(UseCases.WS, "p1", "event");
        Instant boundary = ordered.plus(Duration.ofDays(30));

        app.clock.advance(Duration.ofDays(28).plusSeconds(7)); // the sweep runs 7 s after the boundary
        List<MembershipChange> changes = app.evaluate.fireTimer(UseCases.WS, "p1", boundary);

        assertThat(changes).hasSize(1).first().isInstanceOf(MembershipChange.Exited.class);
        assertThat(app.outbox.payloads(CloudEvents.TYPE_MEMBERSHIP_CHANGED, MembershipChanged.class))
                .extracting(MembershipChanged::change, MembershipChanged::at, MembershipChanged::sequence)
                .containsExactly(tuple(MembershipChanged.ENTERED, ordered.plus(Duration.ofDays(2)), 1L),
                        tuple(MembershipChanged.EXITED, boundary, 2L));
        assertThat(app.memberships.historyOf(UseCases.WS, "p1")).singleElement()
                .extracting(Memberships.Interval::exitedAt, Memberships.Interval::exitCause)
                .containsExactly(boundary, "time passed");
        assertThat(app.timers.dueAt(UseCases.WS, "p1")).isEmpty();
        assertThat(app.cache.segmentsOf(UseCases.WS, "p1")).get().extracting(Memberships.CurrentSegments::segmentIds)
                .isEqualTo(List.of());
    }

    @Test
    void aTimerThatWasRescheduledMeanwhileFiresNothing() {
        app.segment("Recent buyers", RECENT_BUYERS);
        Instant ordered = app.now().minus(Duration.ofDays(2));
        app.event("p1", "Order Completed", ordered, Map.of());
        app.evaluate.evaluate(UseCases.WS, "p1", "event");
        app.event("p1", "Order Completed", app.now(), Map.of()); // a newer order moves the exit 2 days later
        app.evaluate.evaluate(UseCases.WS, "p1", "event");

        app.clock.advance(Duration.ofDays(29));
        assertThat(app.evaluate.fireTimer(UseCases.WS, "p1", ordered.plus(Duration.ofDays(30)))).isEmpty();
        assertThat(app.memberships.current(UseCases.WS, "p1").segmentIds()).hasSize(1);
    }

    @Test
    void aLateEvaluationFirstCatchesUpOnTheTimeDrivenChangeItMissedAtItsOwnInstant() {
        app.segment("Recent buyers", RECENT_BUYERS);
        Instant ordered = app.now().minus(Duration.ofDays(2));
        app.event("p1", "Order Completed", ordered, Map.of());
        app.evaluate.evaluate(UseCases.WS, "p1", "event");

        app.clock.advance(Duration.ofDays(40)); // no sweep ran; then a page view arrives
        app.event("p1", "Page Viewed", app.now(), Map.of());
        app.evaluate.evaluate(UseCases.WS, "p1", "event Page Viewed");

        assertThat(app.memberships.historyOf(UseCases.WS, "p1")).singleElement()
                .extracting(Memberships.Interval::exitedAt).isEqualTo(ordered.plus(Duration.ofDays(30)));
    }

    @Test
    void controlGroupMembersAreFlaggedInTheMembershipAndThePublishedChange() {
        String segment = app.define.create(UseCases.WS, new DefineSegment.Definition("Gold", null,
                UseCases.json("{\"everyone\": true}"), BigDecimal.valueOf(50), null, null)).segment().id();
        for (int i = 0; i < 40; i++) {
            app.states.lock(UseCases.WS, "p" + i);
            app.evaluate.evaluate(UseCases.WS, "p" + i, "test");
        }

        List<MembershipChanged> entered = app.outbox.payloads(CloudEvents.TYPE_MEMBERSHIP_CHANGED, MembershipChanged.class);
        assertThat(entered).hasSize(40).allSatisfy(c -> assertThat(c.holdout()).isEqualTo(
                app.memberships.current(UseCases.WS, c.profileId()).heldOutIds().contains(segment)));
        assertThat(entered).filteredOn(MembershipChanged::holdout).isNotEmpty().hasSizeLessThan(40);
    }
}
