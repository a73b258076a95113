package io.satsuma.segment.adapter.scheduling;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.segment.application.BackfillSegment;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Picks up running backfill jobs every second, including those interrupted by a crash or restart. */
@ApplicationScoped
class BackfillRunner {
    private static final Logger LOG = Logger.getLogger(BackfillRunner.class);

    private final BackfillSegment backfill;

    BackfillRunner(BackfillSegment backfill) {
        this.backfill = backfill;
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
