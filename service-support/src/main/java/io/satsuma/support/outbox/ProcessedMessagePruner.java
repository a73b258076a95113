package io.satsuma.support.outbox;

import io.quarkus.scheduler.Scheduled;
import io.satsuma.support.config.ConsumerConfig;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes idempotent-consumer bookkeeping older than the horizon, hourly, in bounded batches. Past the horizon
 * no redelivery can arrive (it exceeds the retention of the consumed topics and their dead-letter topics), so
 * the ids are no longer needed to deduplicate.
 */
@ApplicationScoped
public class ProcessedMessagePruner {
    private static final Logger LOG = Logger.getLogger(ProcessedMessagePruner.class);
    private static final int BATCH = 10_000;

    private final Sql sql;
    private final Clock clock;
    private final Duration horizon;

    ProcessedMessagePruner(Sql sql, Clock clock, ConsumerConfig config) {
        this.sql = sql;
        this.clock = clock;
        this.horizon = config.processedMessageHorizon();
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void hourly() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warnf("pruning processed message ids failed, retrying next hour: %s", e.getMessage());
        }
    }

    /** Deletes every id processed before now − horizon; returns how many. */
    public int prune() {
        Instant before = clock.instant().minus(horizon);
        int total = 0;
        int deleted;
        do {
            deleted = sql.update("""
                    DELETE FROM processed_message WHERE ctid IN (
                        SELECT ctid FROM processed_message WHERE processed_at < ? LIMIT ?)""", before, BATCH);
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.infof("pruned %d processed message ids older than %s", total, horizon);
        }
        return total;
    }
}
