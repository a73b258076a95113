package io.satsuma.segment.application;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.segment.domain.MembershipCache;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.support.transaction.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Keeps the Redis serving cache in step with PostgreSQL: what changed is read inside the transaction that
 * changed it, and written to the cache only once that transaction has committed (never a state that is then
 * rolled back). Entries carry the profile's membership version, so a late write never replaces a newer one.
 * Outside a transaction the write happens at once.
 */
@ApplicationScoped
public class MembershipCacheRefresh {
    private final Memberships memberships;
    private final MembershipCache cache;
    private final AfterCommit afterCommit;

    MembershipCacheRefresh(Memberships memberships, MembershipCache cache, AfterCommit afterCommit) {
        this.memberships = memberships;
        this.cache = cache;
        this.afterCommit = afterCommit;
    }

    /** The profiles' current membership goes to the cache after commit. */
    public void memberships(String workspace, Collection<String> profileIds) {
        if (profileIds.isEmpty()) {
            return;
        }
        Map<String, Memberships.CurrentSegments> current = memberships.currentAll(workspace, profileIds);
        afterCommit.run(() -> cache.putAllSegments(workspace, current));
    }

    /** The identifiers of many profiles (profile id → identifiers) resolve to them after commit, in one write. */
    public void identifiers(String workspace, Map<String, List<Identifier>> byProfile) {
        List<MembershipCache.IdentifierOwner> owners = new ArrayList<>();
        byProfile.forEach((profileId, ids) -> ids.forEach(id ->
                owners.add(new MembershipCache.IdentifierOwner(id.type(), id.value(), profileId))));
        if (!owners.isEmpty()) {
            afterCommit.run(() -> cache.putIdentifiers(workspace, owners));
        }
    }

    /** An erased person's identifiers leave the cache after commit (their emptied membership is refreshed too). */
    public void forget(String workspace, String profileId, List<Identifier> identifiers) {
        memberships(workspace, List.of(profileId));
        afterCommit.run(() -> identifiers.forEach(id -> cache.forgetIdentifier(workspace, id.type(), id.value())));
    }
}
