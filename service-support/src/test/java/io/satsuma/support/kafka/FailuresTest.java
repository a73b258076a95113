package io.satsuma.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.sql.SQLException;
import org.apache.kafka.common.errors.TimeoutException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void aDatabaseOrBrokerThatIsAwayOrContendedIsTransient() {
        assertThat(Failures.isTransient(new RuntimeException(new SQLException("refused", "08001")))).isTrue();
        assertThat(Failures.isTransient(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(Failures.isTransient(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(Failures.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(Failures.isTransient(new SQLException("Acquisition timeout while waiting for new connection"))).isTrue();
        assertThat(Failures.isTransient(new IllegalStateException(new ConnectException("Connection refused")))).isTrue();
        assertThat(Failures.isTransient(new TimeoutException("metadata"))).isTrue();
    }

    @Test
    void whatWouldFailAgainIsNot() {
        assertThat(Failures.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Failures.isTransient(new IllegalArgumentException("bad"))).isFalse();
        assertThat(Failures.isTransient(new PoisonRecord("no workspace", new SQLException("x", "08001")))).isFalse();
    }

    @Test
    void aReasonNamesTypesStatesAndPositionsButNeverTheData() throws Exception {
        SQLException unique = new SQLException("duplicate key value violates unique constraint \"identity_pkey\"\n"
                + "  Detail: Key (id_value)=(ann@example.com) already exists.", "23505");
        String reason = Failures.describe(new RuntimeException("failed: ann@example.com", unique));
        assertThat(reason).isEqualTo("RuntimeException ← SQLException (SQLSTATE 23505)").doesNotContain("ann@example.com");

        Exception unreadable = Assertions.catchException(
                () -> new ObjectMapper().readTree("{\"email\": ann@example.com}"));
        assertThat(Failures.describe(unreadable)).startsWith("JsonParseException (line 1, column").doesNotContain("ann");
        assertThat(Failures.describe(new PoisonRecord("the record lacks header ce_type"))).isEqualTo("the record lacks header ce_type");
    }
}
