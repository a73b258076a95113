package io.satsuma.profile.domain;

import io.satsuma.contracts.event.v1.IngestedEvent;
import io.satsuma.contracts.profile.v1.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per identifier type: how many a profile may hold, how much it counts when choosing which profile an
 * event belongs to, and which values are never identifiers (SDK placeholders like {@code "null"}).
 *
 * <p>Defaults follow Segment Unify's: a profile holds at most one {@code user_id} (a login id), so
 * an event that would join two different user ids refuses the merge instead of fusing two people.
 */
public record IdentityRules(Map<String, TypeRule> types, Set<String> blockedValues, String defaultPhoneRegion) {

    /** Rules without a default phone region: only numbers in international form (+…) become {@code phone} identifiers. */
    public IdentityRules(Map<String, TypeRule> types, Set<String> blockedValues) {
        this(types, blockedValues, null);
    }

    /**
     * @param limit    most identifiers of this type one profile may hold
     * @param priority higher wins when an event's identifiers point at different profiles
     * @param unique   a value belongs to one person, so an event linking two profiles through it merges
     *                 them; false for shared values (a family tablet, a household email): attached, but
     *                 never the reason for a merge
     * @param login    the type proves who is signed in (mParticle's login ids): two different values never
     *                 share a profile, so an event bringing a new value to a profile that holds another one
     *                 starts a profile of its own (someone else signed in on this device) instead of being
     *                 attributed to the device's owner
     */
    public record TypeRule(int limit, int priority, boolean unique, boolean login) {
        public TypeRule(int limit, int priority) {
            this(limit, priority, true, false);
        }
    }

    public static final String ANONYMOUS_ID = "anonymous_id";
    public static final String USER_ID = "user_id";
    public static final String EMAIL = "email";
    /** A phone number in E.164 ({@code traits.phone}, normalised with the workspace's default region). */
    public static final String PHONE = "phone";
    /** A {@code traits.phone} that is not a valid number: kept as it came, flagged by its type, never merges. */
    public static final String PHONE_UNPARSED = "phone_unparsed";
    /** A push device token ({@code context.device.token}); shared devices exist, so it never merges by default. */
    public static final String DEVICE_TOKEN = "device_token";
    /** An advertising id ({@code context.device.advertisingId}), only when {@code adTrackingEnabled} is true. */
    public static final String ADVERTISING_ID = "advertising_id";

    private static final TypeRule CUSTOM = new TypeRule(Integer.MAX_VALUE, 0, true, false);

    public static IdentityRules defaults() {
        return new IdentityRules(
                Map.of(USER_ID, new TypeRule(1, 300, true, true),
                        EMAIL, new TypeRule(5, 200, true, false),
                        PHONE, new TypeRule(3, 150, true, false),
                        ANONYMOUS_ID, new TypeRule(Integer.MAX_VALUE, 100, true, false),
                        ADVERTISING_ID, new TypeRule(10, 60, false, false),
                        DEVICE_TOKEN, new TypeRule(20, 50, false, false),
                        PHONE_UNPARSED, new TypeRule(5, 10, false, false)),
                Set.of("", "null", "undefined", "0", "-1", "anonymous", "none", "nil", "n/a", "unknown",
                        "test@test.com", "00000000-0000-0000-0000-000000000000"), null);
    }

    public TypeRule rule(String type) {
        return types.getOrDefault(type, CUSTOM);
    }

    public boolean isBlocked(String value) {
        return value == null || blockedValues.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The identifiers an event carries, normalised, without blocked values: user and anonymous ids, email and phone
     * from the traits, a push token and (with ad tracking on) an advertising id from {@code context.device}; an
     * alias also names its previous id.
     */
    public List<Identifier> identifiersOf(IngestedEvent event) {
        List<Identifier> identifiers = new ArrayList<>(identifiersOf(event.userId(), event.anonymousId(), event.traits()));
        if (event.context() != null && event.context().get("device") instanceof Map<?, ?> device) {
            if (device.get("token") instanceof String token && !isBlocked(token)) {
                identifiers.add(new Identifier(DEVICE_TOKEN, token.trim()));
            }
            if (Boolean.TRUE.equals(device.get("adTrackingEnabled")) && device.get("advertisingId") instanceof String adId
                    && !isBlocked(adId)) {
                identifiers.add(new Identifier(ADVERTISING_ID, adId.trim().toLowerCase(Locale.ROOT)));
            }
        }
        if ("alias".equals(event.type()) && !isBlocked(event.previousId())) {
            Identifier previous = new Identifier(ANONYMOUS_ID, event.previousId().trim());
            if (!identifiers.contains(previous)) {
                List<Identifier> withPrevious = new ArrayList<>(identifiers);
                withPrevious.add(previous);
                identifiers = List.copyOf(withPrevious);
            }
        }
        return identifiers;
    }

    /** The identifiers of a message's user id, anonymous id and traits, normalised, without blocked values. */
    public List<Identifier> identifiersOf(String userId, String anonymousId, Map<String, Object> traits) {
        List<Identifier> ids = new ArrayList<>();
        if (!isBlocked(userId)) {
            ids.add(new Identifier(USER_ID, userId.trim()));
        }
        if (!isBlocked(anonymousId)) {
            ids.add(new Identifier(ANONYMOUS_ID, anonymousId.trim()));
        }
        Object email = traits == null ? null : traits.get("email");
        if (email instanceof String e && !isBlocked(e) && e.contains("@")) {
            ids.add(new Identifier(EMAIL, e.trim().toLowerCase(Locale.ROOT)));
        }
        Object phone = traits == null ? null : traits.get("phone");
        if ((phone instanceof String || phone instanceof Number) && !isBlocked(phone.toString())) {
            String raw = phone.toString().trim();
            ids.add(PhoneNumbers.e164(raw, defaultPhoneRegion).map(e164 -> new Identifier(PHONE, e164))
                    .orElseGet(() -> new Identifier(PHONE_UNPARSED, raw)));
        }
        return List.copyOf(ids);
    }
}
