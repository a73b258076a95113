package io.satsuma.segment.adapter.scheduling;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.segment.application.BackfillSegment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

/**
 * Runs backfill jobs: a new one as soon as the definition that started it has committed, and every
 * second any that is still running (interrupted by a crash or restart, or started elsewhere). Two
 * rounds at once are harmless: a page holds its job's row, and a round that finds it held moves on.
 */
@ApplicationScoped
class BackfillRunner {
    private static final Logger LOG = Logger.getLogger(BackfillRunner.class);

    private final BackfillSegment backfill;
    /** One round at a time, on a thread that inherits nothing (above all not the committed transaction). */
    private final ManagedExecutor executor = ManagedExecutor.builder().maxAsync(1)
            .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();

    BackfillRunner(BackfillSegment backfill) {
        this.backfill = backfill;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    void onStarted(@Observes(during = TransactionPhase.AFTER_SUCCESS) BackfillSegment.JobStarted started) {
        executor.execute(this::tick);
    }

    @Scheduled(every = "${satsuma.backfill.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            backfill.runPending();
        } catch (RuntimeException e) {
            LOG.warnf("backfill round failed, retrying on the next tick: %s", e.getMessage());
        }
    }
}
