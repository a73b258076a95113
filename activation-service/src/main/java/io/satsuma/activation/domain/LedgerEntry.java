package io.satsuma.activation.domain;

import java.util.Map;

/** What an audience destination holds of one person, as Satsuma last sent it: the keys to remove them and a digest. */
public record LedgerEntry(String profileId, Map<String, Object> removal, String digest) {
}
