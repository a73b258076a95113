package io.satsuma.activation.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Checks a destination's configuration and secrets against its type, naming every problem with a pointer. */
public final class DestinationSettings {
    private static final double MAX_RATE = 10_000;

    private DestinationSettings() {
    }

    /**
     * @param secrets the secrets to store; on an update of secrets only, {@code config} is the stored one
     */
    public static List<Violation> validate(DestinationType type, Map<String, String> config, Map<String, String> secrets) {
        List<Violation> errors = new ArrayList<>();
        Map<String, ConfigField> known = new LinkedHashMap<>();
        Stream.concat(type.fields().stream(), DestinationType.COMMON.stream()).forEach(f -> known.put(f.name(), f));
        for (String key : config.keySet()) {
            ConfigField field = known.get(key);
            if (field == null || field.secret()) {
                errors.add(new Violation("/config/" + key, field == null
                        ? "unknown setting for " + type.id() + "; known: " + names(known, false)
                        : "a secret: send it in secrets, not config"));
            }
        }
        for (String key : secrets.keySet()) {
            ConfigField field = known.get(key);
            if (field == null || !field.secret()) {
                errors.add(new Violation("/secrets/" + key, "not a secret of " + type.id() + "; secrets: "
                        + names(known, true)));
            }
        }
        for (ConfigField field : known.values()) {
            String value = (field.secret() ? secrets : config).get(field.name());
            if (value == null || value.isBlank()) {
                if (field.required()) {
                    errors.add(new Violation(field.pointer(), "required: " + field.description()));
                }
            } else if (field.pattern() != null && !field.pattern().matcher(value).matches()) {
                errors.add(new Violation(field.pointer(), field.secret() ? "malformed: " + field.description()
                        : "malformed: " + field.description()));
            }
        }
        String rate = config.get("rate");
        if (rate != null && rate.matches("[0-9]+(\\.[0-9]+)?")
                && (Double.parseDouble(rate) <= 0 || Double.parseDouble(rate) > MAX_RATE)) {
            errors.add(new Violation("/config/rate", "must be above 0 and at most " + (int) MAX_RATE));
        }
        if (type == DestinationType.TWILIO_SMS) {
            boolean service = config.get("messagingServiceSid") != null;
            boolean from = config.get("from") != null;
            if (service == from) {
                errors.add(new Violation("/config/from", "exactly one of messagingServiceSid and from is required"));
            }
        }
        return errors;
    }

    private static String names(Map<String, ConfigField> fields, boolean secret) {
        return String.join(", ", fields.values().stream().filter(f -> f.secret() == secret).map(ConfigField::name).toList());
    }
}
