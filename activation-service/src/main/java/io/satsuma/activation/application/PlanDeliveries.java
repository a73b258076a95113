package io.satsuma.activation.application;

import io.satsuma.activation.domain.ActivationStore;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.Sync;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;

/**
 * Turns a membership change into one pending delivery per sync of its segment. Holdout members are
 * never sent. Keyed by (sync, change id), so a redelivered change plans nothing new.
 */
@ApplicationScoped
public class PlanDeliveries {
    private final ActivationStore store;
    private final Clock clock;

    PlanDeliveries(ActivationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A membership change as consumed: its workspace and {@code ce_id}. */
    public record Change(String workspace, String changeId, MembershipChanged change) {
    }

    /** A poll of changes in one transaction; returns how many deliveries were planned. */
    @Transactional
    public int onMembershipChanges(List<Change> changes) {
        int planned = 0;
        for (Change c : changes) {
            planned += onMembershipChange(c.workspace(), c.changeId(), c.change());
        }
        return planned;
    }

    private int onMembershipChange(String workspace, String changeId, MembershipChanged change) {
        if (change.holdout()) {
            return 0;
        }
        int planned = 0;
        for (Sync sync : store.syncsOfSegment(workspace, change.segmentId())) {
            Delivery delivery = new Delivery(0, workspace, sync.id(), sync.destinationId(), changeId, change.segmentId(),
                    change.segmentName(), change.profileId(), change.change(), change.at(), change.sequence(),
                    Delivery.PENDING, 0);
            if (store.planDelivery(delivery, clock.instant())) {
                planned++;
            }
        }
        return planned;
    }
}
