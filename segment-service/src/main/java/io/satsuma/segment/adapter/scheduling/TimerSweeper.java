package io.satsuma.segment.adapter.scheduling;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.segment.application.SweepTimers;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs the timer sweep on a fixed interval ({@code satsuma.timers.sweep-interval}, 10 s by default). */
@ApplicationScoped
class TimerSweeper {
    private static final Logger LOG = Logger.getLogger(TimerSweeper.class);

    private final SweepTimers sweep;

    TimerSweeper(SweepTimers sweep) {
        this.sweep = sweep;
    }

    @Scheduled(every = "${satsuma.timers.sweep-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            sweep.sweep();
        } catch (RuntimeException e) {
            LOG.warnf("timer sweep failed, retrying on the next tick: %s", e.getMessage());
        }
    }
}
