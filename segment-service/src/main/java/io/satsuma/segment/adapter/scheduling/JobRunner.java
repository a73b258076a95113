package io.satsuma.segment.adapter.scheduling;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.segment.application.BackfillSegment;
import io.satsuma.segment.application.JourneySeries;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

/**
 * Runs the service's jobs — segment backfills and journey series: a new one as soon as the transaction that
 * started it has committed, and every second any that is still running (interrupted by a crash or restart, or
 * started elsewhere). Two rounds at once are harmless: a page holds its job's row, and a round that finds it held
 * moves on.
 */
@ApplicationScoped
class JobRunner {
    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final BackfillSegment backfill;
    private final JourneySeries journeys;
    /** One round at a time, on a thread that inherits nothing (above all not the committed transaction). */
    private final ManagedExecutor executor = ManagedExecutor.builder().maxAsync(1)
            .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
    /** A backfill's slices run on this many connections at once (each worker one transaction at a time). */
    private final int backfillWorkers;
    private final ManagedExecutor backfillExecutor;

    JobRunner(BackfillSegment backfill, JourneySeries journeys,
              @ConfigProperty(name = "satsuma.backfill.workers", defaultValue = "2") int backfillWorkers) {
        this.backfill = backfill;
        this.journeys = journeys;
        this.backfillWorkers = Math.max(1, backfillWorkers);
        this.backfillExecutor = ManagedExecutor.builder().maxAsync(this.backfillWorkers)
                .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        backfillExecutor.shutdownNow();
    }

    void onBackfillStarted(@Observes(during = TransactionPhase.AFTER_SUCCESS) BackfillSegment.JobStarted started) {
        executor.execute(this::tick);
    }

    void onJourneyStarted(@Observes(during = TransactionPhase.AFTER_SUCCESS) JourneySeries.JobStarted started) {
        executor.execute(this::tick);
    }

    @Scheduled(every = "${satsuma.backfill.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            backfill.runPending(backfillExecutor, backfillWorkers);
        } catch (RuntimeException e) {
            LOG.warnf("backfill round failed, retrying on the next tick: %s", e.getMessage());
        }
        try {
            for (String jobId : journeys.running()) {
                boolean more;
                do {
                    more = journeys.runPage(jobId);
                } while (more);
            }
        } catch (RuntimeException e) {
            LOG.warnf("journey job round failed, retrying on the next tick: %s", e.getMessage());
        }
    }
}
