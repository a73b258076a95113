package io.satsuma.support.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a failure that goes away by waiting (a database restarting, a broker unreachable, a deadlock, a
 * serialization failure) from one that will happen again with the same record; and describes a failure
 * without personal data, for logs, headers and the dead-letter listing.
 */
public final class Failures {
    /**
     * PostgreSQL SQLSTATEs worth retrying: serialization failure, deadlock, lock not available, admin/crash
     * shutdown, cannot connect now, too many connections, out of memory/disk; class 08 (connection) by prefix.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03",
            "53000", "53100", "53200", "53300", "58000", "58030");

    private Failures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecord) {
                return false;
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof ConnectException || t instanceof SocketException
                    || t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof RetriableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state))) {
                    return true;
                }
                // Agroal's pool says so without a state when no connection can be had in time.
                if (state == null && sql.getMessage() != null && sql.getMessage().contains("Acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * What went wrong, without values: exception types, SQLSTATEs and positions, never messages that may quote
     * the data (a unique violation's detail, a JSON parser's snippet). {@link PoisonRecord}s say it themselves.
     */
    public static String describe(Throwable failure) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecord poison) {
                reason.append(reason.isEmpty() ? "" : " ← ").append(poison.getMessage());
                if (poison.getCause() != null) {
                    reason.append(" (").append(describe(poison.getCause())).append(')');
                }
                return reason.toString();
            }
            if (!reason.isEmpty()) {
                reason.append(" ← ");
            }
            reason.append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                reason.append(" (SQLSTATE ").append(sql.getSQLState()).append(')');
            } else if (t instanceof JsonProcessingException json && json.getLocation() != null) {
                reason.append(" (line ").append(json.getLocation().getLineNr()).append(", column ")
                        .append(json.getLocation().getColumnNr()).append(')');
            }
            if (reason.length() > 300) {
                break;
            }
        }
        return reason.toString();
    }
}
