package io.satsuma.activation.application;

import io.satsuma.activation.domain.ActivationStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * GDPR: when a person is erased, activation forgets them — their deliveries (the ledger and any pending
 * ones) are deleted. The exits that segment-service publishes for the erasure travel on another topic
 * and may be planned after this; they are still sent, because channels must remove the person, and leave
 * only ids behind.
 */
@ApplicationScoped
public class ForgetPeople {
    private static final Logger LOG = Logger.getLogger(ForgetPeople.class);

    private final ActivationStore store;

    ForgetPeople(ActivationStore store) {
        this.store = store;
    }

    /** An erased profile of a workspace. */
    public record Erasure(String workspace, String profileId) {
    }

    @Transactional
    public void forget(List<Erasure> erasures) {
        for (Erasure erasure : erasures) {
            int deleted = store.forgetProfile(erasure.workspace(), erasure.profileId());
            LOG.infof("forgot erased profile %s in workspace %s (%d deliveries deleted)", erasure.profileId(),
                    erasure.workspace(), deleted);
        }
    }
}
