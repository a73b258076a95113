package io.satsuma.platform;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the embedded servers' chatter (Kafka, PostgreSQL) out of the console: warnings only. */
public final class QuietLogs {
    // Strong references: java.util.logging forgets levels of loggers that are garbage-collected.
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("org.apache.kafka"), Logger.getLogger("kafka"),
            Logger.getLogger("io.zonky"), Logger.getLogger("io.smallrye.reactive.messaging.kafka"),
            Logger.getLogger("state.change.logger"));

    private QuietLogs() {
    }

    public static void apply() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
