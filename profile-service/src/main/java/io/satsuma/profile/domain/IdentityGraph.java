package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The identity graph of a workspace: which profile holds each identifier, and which profiles must stay apart. */
public interface IdentityGraph {

    /** Serialises concurrent resolution of the same identifiers (across instances) until commit. */
    void lockIdentifiers(String workspace, List<Identifier> identifiers);

    /** For each identifier that exists: the profile holding it. */
    Map<Identifier, String> ownersOf(String workspace, List<Identifier> identifiers);

    /** For each identifier that exists: the profile it belongs to and the profile it was first attributed to. */
    Map<Identifier, Ownership> ownershipOf(String workspace, List<Identifier> identifiers);

    /** @param origin the profile the identifier was first attributed to (survives merges; unmerge reads it) */
    record Ownership(String profileId, String origin) {
    }

    /** The profiles as resolution sees them: creation time, identifiers, separations. */
    Map<String, KnownProfile> known(String workspace, Collection<String> profileIds);

    void attach(String workspace, String profileId, List<Identifier> identifiers, String origin, Instant at);

    /** New identifiers, each with the profile holding it and its origin, in one go. */
    void attachAll(String workspace, Map<Identifier, Ownership> identifiers, Instant at);

    /** Detaches an identifier from the profile (a channel reported it dead); a later event may attach it again. */
    void detach(String workspace, String profileId, Identifier identifier);

    /** From now on resolution refuses to merge the two profiles. */
    void keepApart(String workspace, String profileId, String otherId, Instant at);

    List<Identifier> identifiersOf(String workspace, String profileId);

    Map<String, List<Identifier>> identifiersOfAll(String workspace, Collection<String> profileIds);
}
