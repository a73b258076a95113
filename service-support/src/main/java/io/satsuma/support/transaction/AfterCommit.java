package io.satsuma.support.transaction;

/**
 * Runs work once the current transaction has committed — for what lives outside the database and must never
 * see a state that was rolled back (the Redis serving cache, in-memory caches). Nothing runs if the transaction
 * rolls back; without a transaction the work runs at once. The work must not use the database: the transaction
 * is over (read what it needs before, inside the transaction). Use-case tests pass {@code Runnable::run}.
 */
@FunctionalInterface
public interface AfterCommit {
    void run(Runnable work);
}
