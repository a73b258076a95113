package io.satsuma.support.transaction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

/**
 * Runs work once the current transaction has committed — for what lives outside the database and must
 * never see a state that was rolled back (the Redis serving cache, in-memory caches). Nothing runs if the
 * transaction rolls back; without a transaction the work runs at once. The work must not use the database:
 * the transaction is over (read what it needs before, inside the transaction).
 */
@ApplicationScoped
public class AfterCommit {
    private static final Logger LOG = Logger.getLogger(AfterCommit.class);

    private final TransactionSynchronizationRegistry registry;

    AfterCommit(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

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
