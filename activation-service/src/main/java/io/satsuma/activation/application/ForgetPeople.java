package io.satsuma.activation.application;

import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.Contacts;
import io.satsuma.activation.domain.Deliveries;
import io.satsuma.activation.domain.SegmentMembers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * GDPR: when a person is erased, activation forgets them — their contact points, traits and memberships, and their
 * message deliveries (pending ones are never sent) — and removes them from every audience that holds them, now, by
 * the keys the ledger kept (hashes and ids, no address). The ledger rows go once the destinations confirmed.
 */
@ApplicationScoped
public class ForgetPeople {
    private static final Logger LOG = Logger.getLogger(ForgetPeople.class);

    private final Contacts contacts;
    private final SegmentMembers members;
    private final Deliveries deliveries;
    private final AudienceQueue audiences;
    private final Clock clock;

    ForgetPeople(Contacts contacts, SegmentMembers members, Deliveries deliveries, AudienceQueue audiences, Clock clock) {
        this.contacts = contacts;
        this.members = members;
        this.deliveries = deliveries;
        this.audiences = audiences;
        this.clock = clock;
    }

    /** An erased profile of a workspace. */
    public record Erasure(String workspace, String profileId) {
    }

    @Transactional
    public void forget(List<Erasure> erasures) {
        for (Erasure erasure : erasures) {
            forgetOne(erasure.workspace(), erasure.profileId());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void forgetOne(String workspace, String profileId) {
        contacts.erase(workspace, profileId, Long.MAX_VALUE);
        members.forget(workspace, profileId);
        int deleted = deliveries.forgetProfile(workspace, profileId);
        audiences.markWherever(workspace, List.of(profileId), clock.instant());
        LOG.infof("forgot erased profile %s in workspace %s (%d deliveries deleted; audiences reconciled)", profileId,
                workspace, deleted);
    }
}
