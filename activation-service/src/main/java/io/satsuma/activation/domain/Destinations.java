package io.satsuma.activation.domain;

import java.util.List;
import java.util.Optional;

/** The destinations of every workspace, with their encrypted secrets. */
public interface Destinations {
    void add(Destination destination, String secretsCiphertext);

    Optional<Destination> find(String workspace, String destinationId);

    /** By id alone, for the delivery lanes (which serve every workspace). */
    Optional<Destination> byId(String destinationId);

    List<Destination> list(String workspace);

    String secretsCiphertext(String destinationId);

    void replaceSecrets(String destinationId, String secretsCiphertext);
}
