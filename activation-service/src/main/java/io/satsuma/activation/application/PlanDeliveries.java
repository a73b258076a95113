package io.satsuma.activation.application;

import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.Deliveries;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.SegmentMembers;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.SyncMode;
import io.satsuma.activation.domain.Syncs;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows membership changes: keeps activation's projection of each segment's members, marks the person for
 * reconciliation on every audience sync of the segment (after the audience linger, so changes batch), and plans one
 * message per sync that sends on this change. Holdout members are never planned. Keyed by (sync, change id), so a
 * redelivered change plans nothing new; a change older than one already seen is dropped.
 */
@ApplicationScoped
public class PlanDeliveries {
    private final Syncs syncs;
    private final SegmentMembers members;
    private final AudienceQueue audiences;
    private final Deliveries deliveries;
    private final Clock clock;

    PlanDeliveries(Syncs syncs, SegmentMembers members, AudienceQueue audiences, Deliveries deliveries, Clock clock) {
        this.syncs = syncs;
        this.members = members;
        this.audiences = audiences;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** A membership change as consumed: its workspace and {@code ce_id}. */
    public record Change(String workspace, String changeId, MembershipChanged change) {
    }

    /** A poll of changes in one transaction; returns how many messages were planned. */
    @Transactional
    public int onMembershipChanges(List<Change> changes) {
        int planned = 0;
        Instant now = clock.instant();
        // A poll carries many changes of few segments: their syncs are read once per segment, not per change.
        Map<List<String>, List<Sync>> syncsOf = new HashMap<>();
        for (Change c : changes) {
            List<Sync> ofSegment = syncsOf.computeIfAbsent(List.of(c.workspace(), c.change().segmentId()),
                    key -> syncs.ofSegment(key.get(0), key.get(1)));
            planned += onMembershipChange(c.workspace(), c.changeId(), c.change(), ofSegment, now);
        }
        return planned;
    }

    private int onMembershipChange(String workspace, String changeId, MembershipChanged change, List<Sync> ofSegment,
                                   Instant now) {
        boolean entered = MembershipChanged.ENTERED.equals(change.change());
        if (!members.apply(workspace, change.segmentId(), change.profileId(), entered, change.holdout(), change.sequence())) {
            return 0;
        }
        List<String> mirrors = ofSegment.stream().filter(s -> s.mode() == SyncMode.MIRROR).map(Sync::id).toList();
        if (!mirrors.isEmpty()) {
            audiences.mark(mirrors, change.profileId(), now.plus(DestinationType.AUDIENCE_LINGER));
        }
        if (change.holdout()) {
            return 0;
        }
        int planned = 0;
        for (Sync sync : ofSegment) {
            if (sync.mode() == SyncMode.MIRROR || !sync.mode().sends(change.change())) {
                continue;
            }
            Delivery delivery = new Delivery(0, workspace, sync.id(), sync.destinationId(), changeId, change.segmentId(),
                    change.segmentName(), change.profileId(), change.change(), change.at(), change.sequence(),
                    Delivery.PENDING, 0, null);
            if (deliveries.plan(delivery, now)) {
                planned++;
            }
        }
        return planned;
    }
}
