package io.satsuma.activation.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * activation-service's own copy of what it needs of a profile to reach the person (from the compacted
 * {@code satsuma.profiles.v1}, never a call to profile-service at send time): contact points, consent per channel,
 * the traits syncs map, and the usable push tokens. Private traits never reach it (profile-service keeps them out of
 * snapshots). An erased contact keeps no personal data.
 *
 * @param consent    channel → granted (the latest decision); a channel never decided is absent
 * @param pushTokens usable token → platform ({@code ios}, {@code android}, or null)
 */
public record Contact(String workspace, String profileId, long version, Status status, List<Identifier> identifiers,
                      Map<String, Object> traits, Map<String, Boolean> consent, Map<String, String> pushTokens,
                      Instant updatedAt) {

    /** Merged profiles and erased people are reached no more. */
    public enum Status {
        ACTIVE, MERGED, ERASED
    }

    public Contact {
        identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
        traits = traits == null ? Map.of() : traits;
        consent = consent == null ? Map.of() : consent;
        pushTokens = pushTokens == null ? Map.of() : pushTokens;
    }

    /** The pseudo trait holding the latest location seen in the profile's events. */
    public static final String LOCATION = "$location";

    /** The contact a profile snapshot describes: consent as the latest decisions, push tokens still usable. */
    public static Contact of(String workspace, ProfileSnapshot snapshot) {
        Status status = ProfileSnapshot.STATUS_ACTIVE.equals(snapshot.status()) ? Status.ACTIVE : Status.MERGED;
        Map<String, Object> traits = new LinkedHashMap<>(snapshot.traits() == null ? Map.of() : snapshot.traits());
        Map<String, Boolean> consent = new TreeMap<>();
        Map<String, String> tokens = new TreeMap<>();
        ProfileAggregates aggregates = snapshot.aggregates();
        if (aggregates != null) {
            aggregates.consent().forEach((channel, decision) -> consent.put(channel, decision.granted()));
            aggregates.pushTokens().forEach((token, push) -> {
                if (push.usable()) {
                    tokens.put(token, push.platform());
                }
            });
            if (aggregates.location() != null) {
                Map<String, Object> location = new LinkedHashMap<>();
                if (aggregates.location().country() != null) {
                    location.put("country", aggregates.location().country());
                }
                if (aggregates.location().city() != null) {
                    location.put("city", aggregates.location().city());
                }
                traits.put(LOCATION, location);
            }
        }
        return new Contact(workspace, snapshot.profileId(), snapshot.version(), status, snapshot.identifiers(), traits,
                consent, tokens, snapshot.updatedAt());
    }

    /** What an erased person leaves: the id, nothing to reach them by. */
    public static Contact erased(String workspace, String profileId, long version, Instant at) {
        return new Contact(workspace, profileId, version, Status.ERASED, List.of(), Map.of(), Map.of(), Map.of(), at);
    }

    /** A digest of everything that decides how the person is reached; a change re-reconciles their audiences. */
    public String reachDigest() {
        return Hashing.sha256(status + "|" + identifiers + "|" + new TreeMap<>(consent) + "|" + new TreeMap<>(pushTokens)
                + "|" + canonical(traits));
    }

    /** Maps with sorted keys, all the way down, so equal traits always print alike. */
    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Contact::canonical).toList();
        }
        return value;
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** The values of one identifier type, in the order the profile holds them. */
    public List<String> all(String type) {
        return identifiers.stream().filter(id -> id.type().equals(type)).map(Identifier::value).toList();
    }

    public Optional<String> first(String type) {
        return all(type).stream().findFirst();
    }

    /**
     * The first present of alternative trait paths separated by {@code |} ({@code firstName|first_name}); the pseudo
     * trait {@code $location} holds the latest {@code country} and {@code city} from the profile's events.
     */
    public Optional<String> firstTrait(String alternatives) {
        for (String[] path : PATHS.computeIfAbsent(alternatives, Contact::parsePaths)) {
            Optional<String> value = trait(path).filter(v -> !v.isBlank());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** Mappings name few distinct paths: each is split once. */
    private static final Map<String, String[][]> PATHS = new ConcurrentHashMap<>();

    private static String[][] parsePaths(String alternatives) {
        return Arrays.stream(alternatives.split("\\|")).map(p -> p.trim().split("\\.")).toArray(String[][]::new);
    }

    /** A trait by name or dotted path ({@code address.city}), as text; absent when missing or not a scalar. */
    public Optional<String> trait(String path) {
        return trait(path.split("\\."));
    }

    private Optional<String> trait(String[] path) {
        Object value = traits;
        for (String part : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            value = map.get(part);
        }
        return value instanceof String || value instanceof Number || value instanceof Boolean
                ? Optional.of(value.toString()) : Optional.empty();
    }
}
