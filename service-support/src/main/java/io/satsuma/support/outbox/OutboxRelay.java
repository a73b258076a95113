package io.satsuma.support.outbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.SatsumaProducer;
import io.satsuma.support.tracing.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import io.satsuma.support.config.OutboxConfig;
import io.satsuma.support.config.ServiceConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in id order and deletes them once the broker has acknowledged them.
 * One relay per database works at a time (a transaction-scoped advisory lock), so per-key order holds
 * with several instances. A crash between the send and the delete re-sends the batch: delivery is
 * at-least-once and consumers deduplicate on {@code ce_id}.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final long ADVISORY_LOCK_KEY = 0x5a75_0001L;
    private static final int BACKLOG_CAP = 100_000;

    private final AgroalDataSource dataSource;
    private final SatsumaProducer producer;
    private final boolean enabled;
    private final int batchSize;
    private final long idlePollMillis;
    private final String source;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean running;
    private boolean pending;
    private Thread thread;

    OutboxRelay(AgroalDataSource dataSource, SatsumaProducer producer, OutboxConfig config, ServiceConfig service,
                MeterRegistry meters) {
        // Read at each scrape; counted up to a cap so that a large backlog costs a bounded scan.
        Gauge.builder("satsuma.outbox.backlog", this, OutboxRelay::backlog)
                .description("outgoing events committed but not yet published (capped at " + BACKLOG_CAP + ")")
                .register(meters);
        this.dataSource = dataSource;
        this.producer = producer;
        this.enabled = config.enabled();
        this.batchSize = config.batchSize();
        this.idlePollMillis = config.idlePoll().toMillis();
        this.source = "/satsuma/" + service.name();
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called after rows were appended: the relay looks again without waiting for its poll. */
    void wakeUp() {
        lock.lock();
        try {
            pending = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        long backoff = 100;
        while (running) {
            try {
                int published = relayOnce();
                backoff = 100;
                if (published < batchSize) {
                    awaitWork();
                }
            } catch (Exception e) {
                LOG.warnf("outbox relay failed, retrying in %d ms: %s", backoff, e.getMessage());
                pause(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** Rows waiting to be published, up to {@link #BACKLOG_CAP}; NaN when the database does not answer. */
    double backlog() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement count = c.prepareStatement(
                     "SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT " + BACKLOG_CAP + ") waiting");
             ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** Publishes one batch; returns how many rows it published. */
    int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int published = publishBatch(c);
                c.commit();
                return published;
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int publishBatch(Connection c) throws Exception {
        try (PreparedStatement lockStmt = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lockStmt.setLong(1, ADVISORY_LOCK_KEY);
            try (ResultSet rs = lockStmt.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        List<Long> ids = new ArrayList<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("""
                SELECT id, topic, record_key, ce_id, ce_type, ce_time, workspace, payload, trace_parent
                FROM outbox ORDER BY id LIMIT ?""")) {
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong("id"));
                    ProducerRecord<String, String> record = CloudEventRecords.record(
                            rs.getString("topic"), rs.getString("record_key"), rs.getString("ce_id"),
                            rs.getString("ce_type"), source, rs.getObject("ce_time", OffsetDateTime.class).toInstant(),
                            rs.getString("workspace"), rs.getString("payload"));
                    String traceParent = rs.getString("trace_parent");
                    if (traceParent != null) {
                        record.headers().add(TraceContext.TRACEPARENT, traceParent.getBytes(StandardCharsets.UTF_8));
                    }
                    sends.add(producer.send(record));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        producer.flush();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
            Array array = c.createArrayOf("bigint", ids.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        }
        return ids.size();
    }

    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            if (!pending && running) {
                work.await(idlePollMillis, TimeUnit.MILLISECONDS);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits before a retry, but not past {@link #stop}: a relay whose database or broker is gone must not hold up SIGTERM. */
    private void pause(long millis) {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(millis);
            while (running && left > 0) {
                left = work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
