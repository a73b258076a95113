package io.satsuma.activation.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Per audience sync: the people whose place in the destination must be reconciled (marked, due at a time, leased
 * while a lane works on them) and the ledger of what the destination holds.
 */
public interface AudienceQueue {

    /** Marks the current reachable members of the sync's segment (a full upload); returns how many. */
    long markSegment(Sync sync, Instant due);

    /** Marks members and everyone in the ledger (a resync); returns how many. */
    long markSegmentAndLedger(Sync sync, Instant due);

    /** Marks one person on the given syncs. */
    void mark(Collection<String> syncIds, String profileId, Instant due);

    /** Marks people on every audience sync of the workspace that holds them or whose segment has them. */
    void markWherever(String workspace, Collection<String> profileIds, Instant due);

    /** A person claimed for reconciliation: {@code mark} tells whether they were marked again meanwhile. */
    record Claimed(String profileId, long mark, int attempts) {
    }

    /** Leases up to {@code limit} due people of the sync until {@code leaseUntil}. */
    List<Claimed> claim(String syncId, Instant now, int limit, Instant leaseUntil);

    Map<String, LedgerEntry> ledger(String syncId, Collection<String> profileIds);

    /**
     * Records a reconciliation: the people added and removed in the ledger, and the claims done (unmarked unless
     * marked again since).
     */
    void record(String syncId, List<AudienceMember> added, List<String> removed, List<Claimed> done);

    /** Puts claims back, due at {@code due}, with one more attempt and the error. */
    void retry(String syncId, List<Claimed> claims, Instant due, String error);

    /** Gives up on claims (unmarked) after too many attempts. */
    void drop(String syncId, List<Claimed> claims);

    /** Releases leases without counting an attempt (the sync paused). */
    void release(String syncId, List<Claimed> claims);

    long ledgerSize(String syncId);

    /** People waiting, and when the oldest became due. */
    Pending pending(String syncId);

    record Pending(long count, Instant oldestDue) {
    }
}
