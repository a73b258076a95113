package io.satsuma.segment.adapter.scheduling;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.satsuma.segment.application.SweepTimers;
import io.satsuma.segment.domain.Timers;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Runs the timer sweep on a fixed interval ({@code satsuma.timers.sweep-interval}, 10 s by default). */
@ApplicationScoped
class TimerSweeper {
    private static final Logger LOG = Logger.getLogger(TimerSweeper.class);

    private final SweepTimers sweep;
    private final MeterRegistry meters;

    TimerSweeper(SweepTimers sweep, MeterRegistry meters, Timers timers, Clock clock) {
        this.sweep = sweep;
        this.meters = meters;
        // Read at each scrape: how far behind the sweep is (0 while no timer is past due). A timer is past due for up
        // to one sweep interval normally; much more means exits are late.
        Gauge.builder("satsuma.timers.overdue", () -> timers.earliestDue()
                        .map(due -> Math.max(0, Duration.between(due, clock.instant()).toMillis() / 1000.0)).orElse(0.0))
                .description("seconds since the earliest timer that has not fired yet fell due")
                .baseUnit("seconds")
                .register(meters);
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
