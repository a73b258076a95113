package io.satsuma.activation.domain;

/**
 * What a destination reaches people through, and so which consent a sync to it needs: the profile's
 * {@code consent.<channel>} decision ({@code email}, {@code sms}, {@code push}, {@code ads}). Webhooks carry no
 * consent of their own: each identifier in their payload is gated by its channel's consent instead.
 */
public enum Channel {
    EMAIL("email"), SMS("sms"), PUSH("push"), ADS("ads"), WEBHOOK(null);

    private final String consentKey;

    Channel(String consentKey) {
        this.consentKey = consentKey;
    }

    /** The consent channel in the profile's aggregates, or null when the channel has none of its own. */
    public String consentKey() {
        return consentKey;
    }
}
