package io.satsuma.activation.application;

import io.satsuma.activation.domain.ActivationStore;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.Sync;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;

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

    /** @return how many deliveries were planned */
    @Transactional
    public int onMembershipChange(String workspace, String changeId, MembershipChanged change) {
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
