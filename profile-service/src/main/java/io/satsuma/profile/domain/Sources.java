package io.satsuma.profile.domain;

import java.util.List;
import java.util.Optional;

/** The source registry. Write keys are never stored, only their SHA-256. */
public interface Sources {
    void add(Source source, String writeKeyHash);

    List<Source> list(String workspace);

    Optional<Source> byWriteKeyHash(String writeKeyHash);
}
