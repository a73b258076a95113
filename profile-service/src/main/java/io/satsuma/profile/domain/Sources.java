package io.satsuma.profile.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The source registry. Write keys are never stored, only their SHA-256. */
public interface Sources {
    void add(Source source, String writeKeyHash);

    List<Source> list(String workspace);

    Optional<Source> byWriteKeyHash(String writeKeyHash);

    Optional<Source> find(String workspace, String sourceId);

    /** Replaces the source's write key (the old one stops working). */
    void replaceWriteKey(String workspace, String sourceId, String writeKeyHash);

    void revoke(String workspace, String sourceId, Instant at);
}
