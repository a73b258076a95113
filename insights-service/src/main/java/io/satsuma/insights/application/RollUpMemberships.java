package io.satsuma.insights.application;

import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.insights.domain.DailyRollup;
import io.satsuma.insights.domain.InsightFacts;
import io.satsuma.insights.domain.MembershipRecord;
import io.satsuma.insights.domain.Rollups;
import io.satsuma.insights.domain.SegmentDay;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.outbox.ProcessedMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts membership changes into daily rollups (exactly once per change) and serves them. */
@ApplicationScoped
public class RollUpMemberships {
    static final String CONSUMER = "insights-memberships";
    private static final long MAX_DAYS = 3_660;

    private final Rollups rollups;
    private final InsightFacts facts;
    private final ProcessedMessages processed;

    RollUpMemberships(Rollups rollups, InsightFacts facts, ProcessedMessages processed) {
        this.rollups = rollups;
        this.facts = facts;
        this.processed = processed;
    }

    /** A membership change as consumed: its workspace and {@code ce_id}. */
    public record Change(String workspace, String changeId, MembershipChanged change) {
    }

    /**
     * A poll of changes in one transaction; each change id is counted once, whatever the redeliveries, and each
     * change kept (once per segment, profile and sequence) for the metrics.
     */
    @Transactional
    public void onMembershipChanges(List<Change> changes) {
        changes.forEach(c -> onMembershipChange(c.workspace(), c.changeId(), c.change()));
        Map<String, List<InsightFacts.SegmentChange>> byWorkspace = new LinkedHashMap<>();
        changes.forEach(c -> byWorkspace.computeIfAbsent(c.workspace(), w -> new ArrayList<>())
                .add(new InsightFacts.SegmentChange(c.change().segmentId(), new MembershipRecord(c.change().profileId(),
                        c.change().sequence(), MembershipChanged.ENTERED.equals(c.change().change()), c.change().at(),
                        c.change().holdout()))));
        byWorkspace.forEach(facts::recordChanges);
    }

    private boolean onMembershipChange(String workspace, String changeId, MembershipChanged change) {
        if (!processed.firstDelivery(CONSUMER, changeId)) {
            return false;
        }
        LocalDate day = LocalDate.ofInstant(change.at(), ZoneOffset.UTC);
        boolean entered = MembershipChanged.ENTERED.equals(change.change());
        rollups.count(workspace, change.segmentId(), day, entered ? 1 : 0, entered ? 0 : 1);
        return true;
    }

    public List<SegmentDay> daily(String workspace, String segmentId, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new InvalidInput("'to' is before 'from'",
                    List.of(new FieldError("to", "must be on or after 'from'")));
        }
        if (ChronoUnit.DAYS.between(from, to) > MAX_DAYS) {
            throw new InvalidInput("the range may span at most " + MAX_DAYS + " days",
                    List.of(new FieldError("from", "range too long")));
        }
        return DailyRollup.series(from, to, rollups.netBefore(workspace, segmentId, from),
                rollups.between(workspace, segmentId, from, to));
    }
}
