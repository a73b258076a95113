package io.satsuma.activation.adapter.messaging;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.activation.application.DeliverChanges;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Drives {@link DeliverChanges}: drains due deliveries batch by batch, then waits for the next tick. */
@ApplicationScoped
class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final DeliverChanges deliver;

    DeliveryWorker(DeliverChanges deliver) {
        this.deliver = deliver;
    }

    @Scheduled(every = "${satsuma.delivery.poll-interval:0.25s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            while (deliver.deliverDue() > 0) {
                // keep draining while there is work
            }
        } catch (RuntimeException e) {
            LOG.warnf("delivery round failed, retrying on the next tick: %s", e.getMessage());
        }
    }
}
