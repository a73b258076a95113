package io.satsuma.profile.domain;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;
import java.util.Optional;

/**
 * Phone numbers in E.164 ({@code +447700900123}), parsed with Google's libphonenumber: spaces, dots, dashes,
 * parentheses and national prefixes go; a number without a country code is read in the workspace's default
 * region. A number that is not valid for its region (too short, unassigned prefix) has no E.164 form.
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** @param defaultRegion ISO 3166-1 alpha-2 (e.g. {@code GB}), or null to accept only international numbers */
    public static Optional<String> e164(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank() || raw.length() > 64) {
            return Optional.empty();
        }
        try {
            String region = defaultRegion == null ? "ZZ" : defaultRegion.toUpperCase(Locale.ROOT);
            Phonenumber.PhoneNumber number = UTIL.parse(raw, region);
            return UTIL.isValidNumber(number)
                    ? Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164)) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Whether the region code is one libphonenumber knows (for validating a workspace's default region). */
    public static boolean isRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region.toUpperCase(Locale.ROOT));
    }
}
