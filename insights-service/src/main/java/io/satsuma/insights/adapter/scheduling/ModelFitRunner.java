package io.satsuma.insights.adapter.scheduling;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.insights.application.FitModels;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

/**
 * Runs model fits: a requested one as soon as its request has committed, waiting ones every few seconds (a fit
 * whose runner crashed is taken again), and the daily refit of every workspace with orders.
 */
@ApplicationScoped
class ModelFitRunner {
    private static final Logger LOG = Logger.getLogger(ModelFitRunner.class);

    private final FitModels models;
    /** One fit at a time, on a thread that inherits nothing from the request that asked for it. */
    private final ManagedExecutor executor = ManagedExecutor.builder().maxAsync(1)
            .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();

    ModelFitRunner(FitModels models) {
        this.models = models;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    void onRequested(@Observes(during = TransactionPhase.AFTER_SUCCESS) FitModels.FitRequested requested) {
        executor.execute(this::runWaiting);
    }

    @Scheduled(every = "${satsuma.models.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void runWaiting() {
        try {
            models.runWaiting();
        } catch (RuntimeException e) {
            LOG.warnf("model fit round failed, retrying on the next tick: %s", e.getMessage());
        }
    }

    @Scheduled(every = "${satsuma.models.refit-every:24h}", delayed = "${satsuma.models.refit-every:24h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refitDaily() {
        try {
            models.requestForEveryWorkspace();
        } catch (RuntimeException e) {
            LOG.warnf("daily model refit not requested: %s", e.getMessage());
        }
    }
}
