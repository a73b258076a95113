package io.satsuma.activation.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * One person as an audience destination holds them: what is sent to add them ({@code payload}, in the vendor's
 * terms: hashed keys for ad platforms, an address and fields for email lists), what is needed to remove them later
 * ({@code removal}: kept in the ledger, so a person can be removed even after erasure wiped their contact; hashes or
 * ids only, never a raw address), and a digest of both (a changed digest means re-adding).
 */
public record AudienceMember(String profileId, Map<String, Object> payload, Map<String, Object> removal, String digest) {

    static AudienceMember of(String profileId, Map<String, Object> payload, Map<String, Object> removal) {
        StringBuilder text = new StringBuilder(512);
        new TreeMap<>(payload).forEach((k, v) -> text.append(k).append('=').append(v).append(';'));
        text.append('|');
        new TreeMap<>(removal).forEach((k, v) -> text.append(k).append('=').append(v).append(';'));
        return new AudienceMember(profileId, payload, removal, Hashing.sha256(text.toString()));
    }
}
