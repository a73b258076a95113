package io.satsuma.segment.adapter.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep Redis a cache when it fails: no use before the epoch is known, none during the cool-off after
 * a failure, and none after an unconfirmed write until the epoch has moved on — also when PostgreSQL, which keeps the
 * epoch, is unreachable for a while.
 */
class CacheCircuitTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final FakeEpochs epochs = new FakeEpochs();
    private final CacheCircuit circuit = new CacheCircuit(Duration.ofSeconds(5), nanos::get);

    @Test
    void redisIsUsedOnlyOnceTheEpochIsKnown() {
        assertThat(circuit.usableEpoch()).isEqualTo(-1);
        circuit.refresh(epochs);
        assertThat(circuit.usableEpoch()).isEqualTo(7);
        assertThat(circuit.degraded()).isFalse();
    }

    @Test
    void aFailedReadLeavesRedisAloneForTheCoolOffButKeepsTheEpoch() {
        circuit.refresh(epochs);
        circuit.failed(false, "timeout");

        assertThat(circuit.usableEpoch()).isEqualTo(-1);
        advance(Duration.ofSeconds(4));
        circuit.refresh(epochs);
        assertThat(circuit.usableEpoch()).isEqualTo(-1);
        advance(Duration.ofSeconds(1));
        assertThat(circuit.usableEpoch()).as("reads leave nothing stale behind").isEqualTo(7);
        assertThat(circuit.lastFailure()).isEqualTo("timeout");
    }

    @Test
    void anUnconfirmedWriteKeepsRedisUnusedUntilTheEpochHasMovedOn() {
        circuit.refresh(epochs);
        circuit.failed(true, "connection refused");
        circuit.skippedWrite();
        advance(Duration.ofSeconds(6));
        assertThat(circuit.usableEpoch()).as("cool-off over, but the old entries may be stale").isEqualTo(-1);

        epochs.reachable = false;
        circuit.refresh(epochs);
        assertThat(circuit.usableEpoch()).as("PostgreSQL unreachable: the epoch could not move").isEqualTo(-1);

        epochs.reachable = true;
        circuit.refresh(epochs);
        assertThat(circuit.usableEpoch()).isEqualTo(8);
        assertThat(epochs.moves).isEqualTo(1);
        circuit.refresh(epochs);
        assertThat(epochs.moves).as("one move covers every write unconfirmed before it").isEqualTo(1);
    }

    @Test
    void aWriteSkippedWhileTheEpochMovesIsCoveredByTheNextMove() {
        circuit.refresh(epochs);
        circuit.skippedWrite();
        epochs.duringNext = circuit::skippedWrite; // another write skipped while the first move is under way
        circuit.refresh(epochs);

        assertThat(circuit.usableEpoch()).isEqualTo(-1);
        epochs.duringNext = () -> { };
        circuit.refresh(epochs);
        assertThat(circuit.usableEpoch()).isEqualTo(9);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static final class FakeEpochs implements CacheCircuit.EpochStore {
        long epoch = 7;
        int moves;
        boolean reachable = true;
        Runnable duringNext = () -> { };

        @Override
        public long current() {
            check();
            return epoch;
        }

        @Override
        public long next() {
            check();
            duringNext.run();
            moves++;
            return ++epoch;
        }

        private void check() {
            if (!reachable) {
                throw new IllegalStateException("connection refused");
            }
        }
    }
}
