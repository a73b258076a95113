package io.satsuma.activation.domain;

import java.util.List;

/** Adds people to and removes them from one vendor's audience, in its wire format; one implementation per type. */
public interface AudienceConnector {

    DestinationType type();

    /** Adds (or updates) members, at most {@link DestinationType#maxBatch()} of them; {@code session} may be null. */
    CallOutcome add(Target target, Sync sync, List<AudienceMember> members, UploadSession session);

    /** Removes people by the keys the ledger kept, at most {@link DestinationType#maxBatch()}. */
    CallOutcome remove(Target target, Sync sync, List<LedgerEntry> entries);

    /**
     * Klaviyo only: subscribes (with consent) or unsubscribes people by address; other vendors keep consent in
     * membership alone.
     */
    default CallOutcome subscription(Target target, Sync sync, List<String> emails, boolean subscribe) {
        return CallOutcome.Done.all();
    }

    /** A harmless call that proves the destination's credentials (reads the audience or list). */
    CallOutcome test(Target target);
}
