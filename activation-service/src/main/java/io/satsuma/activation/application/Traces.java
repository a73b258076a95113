package io.satsuma.activation.application;

/**
 * Continues, around work done now, a trace that was recorded earlier: a delivery is sent by a lane's thread long
 * after the membership change that caused it was consumed, and its channel call belongs to that change's trace.
 */
public interface Traces {

    /** Work done inside a resumed trace; closing it ends that work's span. */
    interface Resumed extends AutoCloseable {
        @Override
        void close();
    }

    /** A span named {@code operation}, the child of {@code traceParent} (W3C), or of nothing when that is null. */
    Resumed resume(String traceParent, String operation);
}
