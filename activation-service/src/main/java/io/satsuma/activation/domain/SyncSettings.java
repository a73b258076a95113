package io.satsuma.activation.domain;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a sync reaches people: which consent it needs, which traits go into which destination field ({@code mapping}:
 * destination field → trait path, alternatives separated by {@code |}), the message template, quiet hours, and the
 * vendor-specific choices (Klaviyo {@code subscribe}, Mailchimp {@code tag} and {@code statusIfNew}).
 */
public record SyncSettings(ConsentPolicy consentPolicy, Map<String, String> mapping, MessageTemplate template,
                           QuietHours quietHours, boolean subscribe, String tag, String statusIfNew) {

    private static final Pattern TRAIT_PATH = Pattern.compile("[A-Za-z0-9_$][A-Za-z0-9_.$-]{0,127}(\\|[A-Za-z0-9_$][A-Za-z0-9_.$-]{0,127})*");
    private static final Pattern MERGE_TAG = Pattern.compile("[A-Z][A-Z0-9_]{0,9}");
    private static final Pattern WEBHOOK_FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Set<String> META_FIELDS = Set.of("FN", "LN", "FI", "CT", "ST", "ZIP", "COUNTRY", "GEN", "DOBY",
            "DOBM", "DOBD");
    private static final Set<String> GOOGLE_FIELDS = Set.of("givenName", "familyName", "regionCode", "postalCode");
    private static final Set<String> KLAVIYO_FIELDS = Set.of("first_name", "last_name", "organization", "title", "locale",
            "location.city", "location.country", "location.region", "location.zip", "location.address1");

    public SyncSettings {
        consentPolicy = consentPolicy == null ? ConsentPolicy.REQUIRED : consentPolicy;
        mapping = mapping == null ? Map.of() : Map.copyOf(mapping);
    }

    public static SyncSettings defaults() {
        return new SyncSettings(ConsentPolicy.REQUIRED, Map.of(), null, null, false, null, null);
    }

    private static final Map<DestinationType, Map<String, String>> DEFAULT_MAPPINGS = new EnumMap<>(DestinationType.class);

    static {
        for (DestinationType type : DestinationType.values()) {
            DEFAULT_MAPPINGS.put(type, Collections.unmodifiableMap(defaultMapping(type)));
        }
    }

    /** The mapping in force: the sync's own, else the type's default. */
    public Map<String, String> effectiveMapping(DestinationType type) {
        return mapping.isEmpty() ? DEFAULT_MAPPINGS.get(type) : mapping;
    }

    /** Mailchimp's tag for the segment. */
    public String tagFor(String segmentId) {
        return tag != null ? tag : "satsuma-" + segmentId.substring(0, Math.min(8, segmentId.length()));
    }

    /** Traits conventionally named after Segment's identify spec. */
    public static Map<String, String> defaultMapping(DestinationType type) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (type) {
            case META_CUSTOM_AUDIENCE -> {
                m.put("FN", "firstName|first_name");
                m.put("LN", "lastName|last_name");
                m.put("CT", "address.city|city");
                m.put("ST", "address.state|state");
                m.put("ZIP", "address.postalCode|address.postal_code|postalCode|zip");
                m.put("COUNTRY", "address.country|country|$location.country");
            }
            case GOOGLE_CUSTOMER_MATCH -> {
                m.put("givenName", "firstName|first_name");
                m.put("familyName", "lastName|last_name");
                m.put("regionCode", "address.country|country|$location.country");
                m.put("postalCode", "address.postalCode|address.postal_code|postalCode|zip");
            }
            case KLAVIYO_LIST -> {
                m.put("first_name", "firstName|first_name");
                m.put("last_name", "lastName|last_name");
                m.put("location.city", "address.city|city|$location.city");
                m.put("location.country", "address.country|country|$location.country");
            }
            case MAILCHIMP_AUDIENCE -> {
                m.put("FNAME", "firstName|first_name");
                m.put("LNAME", "lastName|last_name");
            }
            default -> {
            }
        }
        return m;
    }

    /** Everything wrong with these settings for a sync of {@code mode} to a destination of {@code type}. */
    public List<Violation> validate(DestinationType type, SyncMode mode) {
        List<Violation> errors = new ArrayList<>();
        if (type.isAudience() != (mode == SyncMode.MIRROR)) {
            errors.add(new Violation("/mode", type.isAudience()
                    ? type.id() + " holds an audience: mode must be MIRROR"
                    : type.id() + " sends messages: mode must be ON_ENTER or ON_ENTER_AND_EXIT"));
        }
        mapping.forEach((field, path) -> {
            String pointer = "/settings/mapping/" + field.replace("~", "~0").replace("/", "~1");
            if (path == null || !TRAIT_PATH.matcher(path).matches()) {
                errors.add(new Violation(pointer, "a trait path (letters, digits, _ . $ -), alternatives separated by |"));
            }
            Optional<String> fieldError = fieldError(type, field);
            fieldError.ifPresent(message -> errors.add(new Violation(pointer, message)));
        });
        boolean message = type == DestinationType.TWILIO_SMS || type == DestinationType.FCM_PUSH;
        if (message) {
            if (template == null || template.body() == null || template.body().isBlank()) {
                errors.add(new Violation("/settings/template/body", "required: the message text (a Qute template)"));
            }
            if (type == DestinationType.FCM_PUSH && (template == null || template.title() == null || template.title().isBlank())) {
                errors.add(new Violation("/settings/template/title", "required: the notification title (a Qute template)"));
            }
        } else if (template != null) {
            errors.add(new Violation("/settings/template", type.id() + " sends no templated message"));
        }
        if (quietHours != null && !message) {
            errors.add(new Violation("/settings/quietHours", "only SMS and push syncs have quiet hours"));
        }
        if (subscribe && type != DestinationType.KLAVIYO_LIST) {
            errors.add(new Violation("/settings/subscribe", "only Klaviyo lists subscribe people"));
        }
        if (tag != null && (type != DestinationType.MAILCHIMP_AUDIENCE || tag.isBlank() || tag.length() > 100)) {
            errors.add(new Violation("/settings/tag", type != DestinationType.MAILCHIMP_AUDIENCE
                    ? "only Mailchimp audiences are tagged" : "1 to 100 characters"));
        }
        if (statusIfNew != null && (type != DestinationType.MAILCHIMP_AUDIENCE
                || !Set.of("subscribed", "pending", "transactional").contains(statusIfNew))) {
            errors.add(new Violation("/settings/statusIfNew", type != DestinationType.MAILCHIMP_AUDIENCE
                    ? "only for Mailchimp audiences" : "one of subscribed, pending, transactional"));
        }
        return errors;
    }

    private static Optional<String> fieldError(DestinationType type, String field) {
        return switch (type) {
            case META_CUSTOM_AUDIENCE -> META_FIELDS.contains(field) ? Optional.empty()
                    : Optional.of("not a Meta key Satsuma maps from traits; one of " + String.join(", ", sorted(META_FIELDS))
                    + " (EMAIL, PHONE, MADID and EXTERN_ID come from identifiers)");
            case GOOGLE_CUSTOMER_MATCH -> GOOGLE_FIELDS.contains(field) ? Optional.empty()
                    : Optional.of("one of " + String.join(", ", sorted(GOOGLE_FIELDS)));
            case KLAVIYO_LIST -> KLAVIYO_FIELDS.contains(field) || field.matches("properties\\.[A-Za-z0-9_ -]{1,100}")
                    ? Optional.empty()
                    : Optional.of("one of " + String.join(", ", sorted(KLAVIYO_FIELDS)) + " or properties.<name>");
            case MAILCHIMP_AUDIENCE -> MERGE_TAG.matcher(field).matches() ? Optional.empty()
                    : Optional.of("a merge tag: upper-case letters, digits and _, at most 10");
            case WEBHOOK -> WEBHOOK_FIELD.matcher(field).matches() ? Optional.empty()
                    : Optional.of("a field name: letters, digits and _");
            default -> Optional.of(type.id() + " maps no fields: its template reads traits directly");
        };
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    /** Parses quiet hours given as {@code HH:mm} texts and an IANA zone; violations name what is wrong. */
    public static Optional<QuietHours> quietHours(String start, String end, String zone, List<Violation> errors) {
        LocalTime from = time(start, "/settings/quietHours/start", errors);
        LocalTime to = time(end, "/settings/quietHours/end", errors);
        ZoneId zoneId = zone == null ? ZoneId.of("UTC") : QuietHours.zone(zone).orElse(null);
        if (zoneId == null) {
            errors.add(new Violation("/settings/quietHours/timeZone", "an IANA time zone such as Europe/London"));
        }
        if (from != null && to != null && from.equals(to)) {
            errors.add(new Violation("/settings/quietHours/end", "must differ from start"));
        }
        return from == null || to == null || zoneId == null || from.equals(to) ? Optional.empty()
                : Optional.of(new QuietHours(from, to, zoneId));
    }

    private static LocalTime time(String text, String pointer, List<Violation> errors) {
        try {
            if (text != null && text.matches("[0-2][0-9]:[0-5][0-9]")) {
                return LocalTime.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(new Violation(pointer, "a time of day as HH:mm"));
        return null;
    }
}
