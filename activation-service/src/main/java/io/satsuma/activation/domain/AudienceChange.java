package io.satsuma.activation.domain;

import java.util.Optional;

/**
 * What one person's audience needs, from who should be there ({@code desired}: a member of the segment, not held out,
 * consenting, reachable) and what the destination holds ({@code current}, the ledger): nothing, an add, a removal,
 * or a removal of the old keys then an add of the new ones (an address changed).
 */
public record AudienceChange(String profileId, AudienceMember add, LedgerEntry remove) {

    public static AudienceChange between(String profileId, Optional<AudienceMember> desired, Optional<LedgerEntry> current) {
        if (desired.isEmpty()) {
            return new AudienceChange(profileId, null, current.orElse(null));
        }
        AudienceMember want = desired.get();
        if (current.isEmpty()) {
            return new AudienceChange(profileId, want, null);
        }
        LedgerEntry have = current.get();
        if (have.digest().equals(want.digest())) {
            return new AudienceChange(profileId, null, null);
        }
        // Same removal keys: re-adding updates the person in place (an upsert); otherwise the old keys go first.
        return new AudienceChange(profileId, want, have.removal().equals(want.removal()) ? null : have);
    }

    public boolean nothing() {
        return add == null && remove == null;
    }
}
