package io.satsuma.support.transaction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

/** {@link AfterCommit} with a JTA synchronization on the current transaction. */
@ApplicationScoped
class JtaAfterCommit implements AfterCommit {
    private static final Logger LOG = Logger.getLogger(JtaAfterCommit.class);

    private final TransactionSynchronizationRegistry registry;

    JtaAfterCommit(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void run(Runnable work) {
        int status = registry.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            work.run();
            return;
        }
        if (status != Status.STATUS_ACTIVE) {
            return; // marked for rollback: it will not commit
        }
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    return;
                }
                try {
                    work.run();
                } catch (RuntimeException e) {
                    // The commit stands; what runs here only refreshes copies that heal on their own.
                    LOG.warnf("after-commit work failed: %s", e.getMessage());
                }
            }
        });
    }
}
