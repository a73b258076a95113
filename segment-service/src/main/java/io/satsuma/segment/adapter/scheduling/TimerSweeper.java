package io.satsuma.segment.adapter.scheduling;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.satsuma.segment.application.SweepTimers;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs the timer sweep on a fixed interval ({@code satsuma.timers.sweep-interval}, 10 s by default). */
@ApplicationScoped
class TimerSweeper {
    private static final Logger LOG = Logger.getLogger(TimerSweeper.class);

    private final SweepTimers sweep;
    private final MeterRegistry meters;

    TimerSweeper(SweepTimers sweep, MeterRegistry meters) {
        this.sweep = sweep;
        this.meters = meters;
    }

    @Scheduled(every = "${satsuma.timers.sweep-interval:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            Timer.Sample started = Timer.start(meters);
            int fired = sweep.sweep();
            started.stop(meters.timer("satsuma.timers.sweeps"));
            meters.counter("satsuma.timers.fired").increment(fired);
        } catch (RuntimeException e) {
            LOG.warnf("timer sweep failed, retrying on the next tick: %s", e.getMessage());
        }
    }
}
