package io.satsuma.activation.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Per audience sync: the people whose place in the destination must be reconciled (marked, due at a time) and the
 * ledger of what the destination holds. One lane works a sync at a time (it holds the sync's lease, see
 * {@link Syncs#lease}), so reading the due people needs no lock.
 */
public interface AudienceQueue {

    /** How many reachable members the sync's segment has (a full upload's size). */
    long countMembers(Sync sync);

    /** How many people the ledger holds that are not reachable members of the segment (a resync's second part). */
    long countLedgerOnly(Sync sync);

    /**
     * A person an upload page walks, with all a decision needs: their contact (null when unknown), whether they are a
     * reachable member of the segment, and what the ledger holds of them (null when nothing).
     */
    record Candidate(String profileId, Contact contact, boolean reachable, LedgerEntry held) {
    }

    /** The next page of a full upload: reachable members of the segment with a profile id after {@code after}. */
    List<Candidate> membersAfter(Sync sync, String after, int limit);

    /** The next page of a resync's second part: ledger people after {@code after} who are not reachable members. */
    List<Candidate> ledgerOnlyAfter(Sync sync, String after, int limit);

    /** Marks people of one sync, due at {@code due}, as having failed once with {@code error} (an upload page's retry). */
    void markFailed(String syncId, Collection<String> profileIds, Instant due, String error);

    /** Marks one person on the given syncs. */
    void mark(Collection<String> syncIds, String profileId, Instant due);

    /** Marks people on every audience sync of the workspace that holds them or whose segment has them. */
    void markWherever(String workspace, Collection<String> profileIds, Instant due);

    /** A person taken up for reconciliation: {@code mark} tells whether they were marked again meanwhile. */
    record Claimed(String profileId, long mark, int attempts) {
    }

    /** Up to {@code limit} people of the sync due at {@code now}, longest due first. */
    List<Claimed> due(String syncId, Instant now, int limit);

    Map<String, LedgerEntry> ledger(String syncId, Collection<String> profileIds);

    /**
     * Records a reconciliation: the people added and removed in the ledger, and the claims done (unmarked unless
     * marked again since).
     */
    void record(String syncId, List<AudienceMember> added, List<String> removed, List<Claimed> done);

    /** Puts people back, due at {@code due}, with one more attempt and the error. */
    void retry(String syncId, List<Claimed> claims, Instant due, String error);

    /** Gives up on people (unmarked) after too many attempts. */
    void drop(String syncId, List<Claimed> claims);

    /** Whether more than {@code count} people of the sync are marked, due or not (a full upload's last batch has no more). */
    boolean hasMoreThan(String syncId, int count);

    long ledgerSize(String syncId);

    /** People waiting, and when the oldest became due. */
    Pending pending(String syncId);

    record Pending(long count, Instant oldestDue) {
    }
}
