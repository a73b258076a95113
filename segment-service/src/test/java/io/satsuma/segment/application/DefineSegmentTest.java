package io.satsuma.segment.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.segment.domain.BackfillJob;
import io.satsuma.segment.domain.Segment;
import io.satsuma.support.failure.Conflict;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DefineSegment} over in-memory ports: validation with pointers, versions, backfill jobs, references, deletion. */
class DefineSegmentTest {
    private final UseCases app = new UseCases();

    @Test
    void everyErrorOfADefinitionIsReportedWithItsPointerAndNothingIsStored() {
        DefineSegment.Definition bad = new DefineSegment.Definition("", null, UseCases.json("""
                {"all": [{"trait": "plan", "op": "eq"}, {"event": "Order Completed", "within": "forever", "op": "gte", "value": 1}]}"""),
                new BigDecimal("75"), "lifecycle", null);

        assertThatThrownBy(() -> app.define.create(UseCases.WS, bad)).isInstanceOf(InvalidInput.class)
                .extracting(e -> ((InvalidInput) e).errors().stream().map(FieldError::pointer).toList())
                .satisfies(pointers -> assertThat(pointers).contains("/name", "/holdoutPercent", "/groupPriority",
                        "/condition/all/0/value", "/condition/all/1/within"));
        assertThat(app.segments.list(UseCases.WS)).isEmpty();
        assertThat(app.jobs.jobs).isEmpty();
    }

    @Test
    void aNewSegmentIsStoredWithABackfillJobAndAnEditIsANewVersionWithItsOwnJob() {
        app.states.lock(UseCases.WS, "p1");
        String id = app.segment("Gold", "{\"trait\": \"plan\", \"op\": \"eq\", \"value\": \"gold\"}");

        DefineSegment.Saved edited = app.define.update(UseCases.WS, id, new DefineSegment.Definition("Gold+", "more",
                UseCases.json("{\"trait\": \"plan\", \"op\": \"in\", \"value\": [\"gold\", \"platinum\"]}"), null, null, null));

        assertThat(edited.segment().version()).isEqualTo(2);
        assertThat(app.segments.versions(UseCases.WS, id)).extracting(v -> v.version(), v -> v.name())
                .containsExactly(tuple(1L, "Gold"), tuple(2L, "Gold+"));
        assertThat(app.jobs.jobs).extracting(BackfillJob::segmentVersion, BackfillJob::status, BackfillJob::total)
                .containsExactly(tuple(1L, BackfillJob.CANCELLED, 1L), tuple(2L, BackfillJob.RUNNING, 1L));
        assertThat(app.started).hasSize(2);
        assertThat(app.directory.byId(UseCases.WS).get(id).name()).isEqualTo("Gold+");
    }

    @Test
    void anEventNeverSeenIsAWarningAndANameTakenIsAConflict() {
        DefineSegment.Saved saved = app.define.create(UseCases.WS, new DefineSegment.Definition("Buyers", null,
                UseCases.json("{\"event\": \"Order Completed\", \"within\": \"P30D\", \"op\": \"gte\", \"value\": 1}"),
                null, null, null));

        assertThat(saved.warnings()).extracting(w -> w.pointer()).containsExactly("/condition/event");
        assertThatThrownBy(() -> app.segment("buyers", "{\"everyone\": true}")).isInstanceOf(Conflict.class)
                .hasMessageContaining("'buyers' already exists");
    }

    @Test
    void referencesMustExistAndNeverFormACycleAndAReferencedSegmentCannotBeDeleted() {
        String gold = app.segment("Gold", "{\"trait\": \"plan\", \"op\": \"eq\", \"value\": \"gold\"}");
        String frenchGold = app.segment("French gold", "{\"all\": [{\"segment\": \"" + gold + "\"}, "
                + "{\"trait\": \"country\", \"op\": \"eq\", \"value\": \"FR\"}]}");

        assertThatThrownBy(() -> app.define.update(UseCases.WS, gold, new DefineSegment.Definition("Gold", null,
                UseCases.json("{\"segment\": \"" + frenchGold + "\"}"), null, null, null)))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("invalid")
                .satisfies(e -> assertThat(((InvalidInput) e).errors()).singleElement()
                        .satisfies(error -> assertThat(error.message()).contains("cycle", "French gold")));
        assertThatThrownBy(() -> app.segment("Ghost", "{\"segment\": \"no-such-segment\"}"))
                .isInstanceOf(InvalidInput.class);
        assertThatThrownBy(() -> app.define.delete(UseCases.WS, gold)).isInstanceOf(Conflict.class)
                .hasMessageContaining("French gold");
    }

    @Test
    void deletingASegmentExitsItsMembersAndTellsTheChannels() {
        String gold = app.segment("Everyone", "{\"everyone\": true}");
        app.states.lock(UseCases.WS, "p1");
        app.evaluate.evaluate(UseCases.WS, "p1", "test");
        app.clock.advance(Duration.ofMinutes(5));

        assertThat(app.define.delete(UseCases.WS, gold)).containsExactly("p1");

        assertThat(app.outbox.payloads(CloudEvents.TYPE_MEMBERSHIP_CHANGED, MembershipChanged.class))
                .extracting(MembershipChanged::change, MembershipChanged::sequence)
                .containsExactly(tuple(MembershipChanged.ENTERED, 1L), tuple(MembershipChanged.EXITED, 2L));
        assertThat(app.segments.list(UseCases.WS)).extracting(Segment::id).doesNotContain(gold);
        assertThat(app.cache.segmentsOf(UseCases.WS, "p1")).get().satisfies(c -> assertThat(c.segmentIds()).isEmpty());
        assertThat(app.directory.byId(UseCases.WS)).isEmpty();
        assertThat(app.define.versions(UseCases.WS, gold)).hasSize(1);
    }

    @Test
    void anotherWorkspaceSeesNoneOfThem() {
        String gold = app.segment("Gold", "{\"everyone\": true}");

        assertThatThrownBy(() -> app.define.find("elsewhere", gold)).isInstanceOf(NotFound.class);
        assertThat(app.define.list("elsewhere")).isEmpty();
        assertThat(app.define.list(UseCases.WS)).extracting(Segment::name).containsExactly("Gold");
    }
}
