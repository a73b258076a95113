package io.satsuma.activation.adapter.scheduling;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.satsuma.activation.application.LaneLeases;
import io.satsuma.activation.application.ReconcileAudiences;
import io.satsuma.activation.application.SendMessages;
import io.satsuma.activation.config.ActivationConfig;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.Destinations;
import io.satsuma.activation.domain.DueWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A lane per destination: each destination with due work gets its own worker threads (one for an audience, whose
 * batches go in order; up to its {@code concurrency} for a message channel), so one that hangs or fails for minutes
 * holds only its own threads and never delays another. A lane drains its destination step by step and ends when
 * nothing is due (a retry waits in the database, due later, not in a sleeping thread) or after a time slice. The
 * look for due work runs on its own timer thread (the Quarkus scheduler's floor of a second would add latency).
 */
@ApplicationScoped
class Lanes {
    private static final Logger LOG = Logger.getLogger(Lanes.class);
    private static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_THREADS = 64;

    private final DueWork dueWork;
    private final Destinations destinations;
    private final ReconcileAudiences audiences;
    private final SendMessages messages;
    private final Clock clock;
    private final ActivationConfig config;
    private final LaneLeases leases;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "activation-lanes-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread thread = new Thread(r, "activation-lane-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    Lanes(DueWork dueWork, Destinations destinations, ReconcileAudiences audiences, SendMessages messages, Clock clock,
          ActivationConfig config, LaneLeases leases) {
        this.config = config;
        this.leases = leases;
        this.dueWork = dueWork;
        this.destinations = destinations;
        this.audiences = audiences;
        this.messages = messages;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        long every = config.lanes().pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        long renew = LaneLeases.RENEW_EVERY.toMillis();
        timer.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            for (String destinationId : dueWork.destinationsWithDueWork(clock.instant(), leases.owner())) {
                Optional<Destination> destination = destinations.byId(destinationId);
                destination.ifPresent(this::open);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not look for due work, trying again on the next tick: %s", e.getMessage());
        }
    }

    private void renewLeases() {
        try {
            leases.renew();
        } catch (RuntimeException e) {
            LOG.warnf("could not renew this instance's leases, trying again shortly: %s", e.getMessage());
        }
    }

    private void open(Destination destination) {
        AtomicInteger lanes = running.computeIfAbsent(destination.id(), id -> new AtomicInteger());
        while (true) {
            int now = lanes.get();
            if (now >= destination.concurrency() || !lanes.compareAndSet(now, now + 1)) {
                if (now >= destination.concurrency()) {
                    return;
                }
                continue;
            }
            try {
                pool.execute(() -> drain(destination, lanes));
            } catch (RejectedExecutionException e) {
                lanes.decrementAndGet();
                return; // every thread busy: the destination gets one on a later tick
            }
        }
    }

    private void drain(Destination destination, AtomicInteger lanes) {
        long until = System.nanoTime() + SLICE_NANOS;
        try {
            while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
                int worked = destination.type().isAudience()
                        ? audiences.step(destination).handled() : messages.step(destination);
                if (worked == 0) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("lane of destination %s stopped, it reopens on the next tick: %s", destination.id(), e.toString());
        } finally {
            lanes.decrementAndGet();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
