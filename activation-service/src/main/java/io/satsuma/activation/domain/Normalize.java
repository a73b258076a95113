package io.satsuma.activation.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The normalisations the vendors require before hashing (CHANNELS.md). Each returns empty when nothing usable is
 * left, so a row never carries the hash of an empty string.
 */
public final class Normalize {
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{Punct}");
    private static final Pattern TITLE = Pattern.compile("^(mr|mrs|ms|miss|dr)\\.?\\s+");
    private Normalize() {
    }

    /** Meta and Klaviyo: trimmed and lower-cased; must look like an address. */
    public static Optional<String> email(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String email = raw.trim().toLowerCase(Locale.ROOT);
        int at = email.indexOf('@');
        return at > 0 && at < email.length() - 1 && email.indexOf('@', at + 1) < 0 && !email.contains(" ")
                ? Optional.of(email) : Optional.empty();
    }

    /**
     * Google: lower-cased, every whitespace removed, and for {@code gmail.com} / {@code googlemail.com} only, dots and
     * any {@code +suffix} removed from the local part.
     */
    public static Optional<String> googleEmail(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        Optional<String> email = email(SPACES.matcher(raw).replaceAll(""));
        return email.map(e -> {
            int at = e.indexOf('@');
            String local = e.substring(0, at);
            String domain = e.substring(at + 1);
            if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
                int plus = local.indexOf('+');
                local = (plus >= 0 ? local.substring(0, plus) : local).replace(".", "");
            }
            return local + "@" + domain;
        }).filter(e -> e.indexOf('@') > 0);
    }

    /** Meta: digits only, country code included, no {@code +}, no leading zeros (from an E.164 number). */
    public static Optional<String> metaPhone(String e164) {
        if (e164 == null) {
            return Optional.empty();
        }
        StringBuilder digits = new StringBuilder(e164.length());
        for (int i = 0; i < e164.length(); i++) {
            char c = e164.charAt(i);
            if (c >= '0' && c <= '9' && (c != '0' || !digits.isEmpty())) {
                digits.append(c);
            }
        }
        return digits.length() >= 7 ? Optional.of(digits.toString()) : Optional.empty();
    }

    /** Google: E.164 with its {@code +}. */
    public static Optional<String> googlePhone(String e164) {
        return metaPhone(e164).map(digits -> "+" + digits);
    }

    /** Meta's FN, LN, CT, ST: lower-case letters only (accents folded), no spaces or punctuation. */
    public static Optional<String> letters(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String text = Normalizer.isNormalized(raw, Normalizer.Form.NFD) ? raw : Normalizer.normalize(raw, Normalizer.Form.NFD);
        StringBuilder letters = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.isLetter(c)) {
                letters.appendCodePoint(Character.toLowerCase(c));
            }
            i += Character.charCount(c);
        }
        return letters.isEmpty() ? Optional.empty() : Optional.of(letters.toString());
    }

    /** Google's names: lower-case, without prefixes (mr, mrs, ms, dr) or punctuation, inner spaces kept single. */
    public static Optional<String> googleName(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String name = SPACES.matcher(PUNCTUATION.matcher(TITLE.matcher(raw.trim().toLowerCase(Locale.ROOT)).replaceFirst(""))
                .replaceAll("")).replaceAll(" ").trim();
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** Meta's ZIP: lower-case, the part before a dash (US ZIP+4 to five digits), no spaces. */
    public static Optional<String> zip(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String zip = raw.trim().toLowerCase(Locale.ROOT);
        int dash = zip.indexOf('-');
        zip = (dash >= 0 ? zip.substring(0, dash) : zip).replace(" ", "");
        return zip.isEmpty() ? Optional.empty() : Optional.of(zip);
    }

    /** ISO 3166-1 alpha-2, lower-case (Meta); a country name is not guessed. */
    public static Optional<String> country(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String code = raw.trim().toLowerCase(Locale.ROOT);
        return code.length() == 2 && Character.isLetter(code.charAt(0)) && Character.isLetter(code.charAt(1))
                && code.charAt(0) < 128 && code.charAt(1) < 128 ? Optional.of(code) : Optional.empty();
    }

    /** Meta's remaining keys from a trait's text: GEN {@code m}/{@code f}, DOBY four digits, DOBM/DOBD two, FI a letter. */
    public static Optional<String> metaKey(String key, String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = raw.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "FN", "LN", "CT", "ST" -> letters(raw);
            case "FI" -> letters(raw).map(l -> l.substring(0, 1));
            case "ZIP" -> zip(raw);
            case "COUNTRY" -> country(raw);
            case "GEN" -> value.startsWith("m") ? Optional.of("m") : value.startsWith("f") ? Optional.of("f") : Optional.empty();
            case "DOBY" -> value.matches("[12][0-9]{3}") ? Optional.of(value) : Optional.empty();
            case "DOBM" -> twoDigits(value, 12);
            case "DOBD" -> twoDigits(value, 31);
            default -> Optional.empty();
        };
    }

    private static Optional<String> twoDigits(String value, int max) {
        if (!value.matches("[0-9]{1,2}")) {
            return Optional.empty();
        }
        int n = Integer.parseInt(value);
        return n >= 1 && n <= max ? Optional.of(String.format("%02d", n)) : Optional.empty();
    }
}
