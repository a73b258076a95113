package io.satsuma.activation.domain;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The channels Satsuma syncs to (CHANNELS.md). An <b>audience</b> destination holds a list that must equal the
 * segment's consented members (add on enter, remove on exit, reconcilable by diff); a <b>message</b> destination
 * gets one message per membership change. Limits are the vendors' published ones; a destination may lower them
 * ({@code config.rate}, {@code config.burst}).
 *
 * @param maxBatch most members (or messages) per request
 * @param rate     requests per second a client may make (the token bucket's refill)
 * @param burst    the bucket's size
 */
public enum DestinationType {
    WEBHOOK("webhook", Channel.WEBHOOK, Shape.MESSAGE, 1, 50, 50, null, List.of(
            ConfigField.config("url", "https?://\\S+", "the receiver's absolute http(s) URL"),
            ConfigField.optionalSecret("signingSecret", ".{16,}",
                    "HMAC-SHA256 signing secret, at least 16 characters; generated when absent"))),
    META_CUSTOM_AUDIENCE("meta_custom_audience", Channel.ADS, Shape.AUDIENCE, 10_000, 10, 20,
            "https://graph.facebook.com/v27.0", List.of(
            ConfigField.config("audienceId", "[0-9]{1,30}", "the Custom Audience's id"),
            ConfigField.secret("accessToken", "\\S{10,}", "a system user's access token with ads_management"))),
    GOOGLE_CUSTOMER_MATCH("google_customer_match", Channel.ADS, Shape.AUDIENCE, 10_000, 5, 5,
            "https://datamanager.googleapis.com", List.of(
            ConfigField.config("operatingAccountId", "[0-9]{1,20}", "the Google Ads customer id, digits only"),
            ConfigField.config("userListId", "[0-9]{1,30}", "the Customer Match user list (product destination id)"),
            ConfigField.config("clientEmail", "[^@\\s]+@[^@\\s]+", "the service account's email"),
            ConfigField.optional("tokenUrl", "https?://\\S+", "OAuth 2.0 token endpoint (default Google's)"),
            ConfigField.secret("privateKey", "(?s)-----BEGIN PRIVATE KEY-----.+-----END PRIVATE KEY-----\\s*",
                    "the service account's PKCS#8 private key (PEM)"))),
    KLAVIYO_LIST("klaviyo_list", Channel.EMAIL, Shape.AUDIENCE, 10_000, 2.5, 10, "https://a.klaviyo.com", List.of(
            ConfigField.config("listId", "[A-Za-z0-9]{1,40}", "the Klaviyo list's id"),
            ConfigField.secret("apiKey", "pk_\\S{6,}", "a private API key (pk_...) with lists and profiles scopes"))),
    MAILCHIMP_AUDIENCE("mailchimp_audience", Channel.EMAIL, Shape.AUDIENCE, 500, 10, 10, null, List.of(
            ConfigField.config("listId", "[A-Za-z0-9]{1,40}", "the audience (list) id"),
            ConfigField.secret("apiKey", "[0-9a-zA-Z]{8,}-[a-z]{2,4}[0-9]{1,3}",
                    "an API key; its -dc suffix names the data center (us21 -> https://us21.api.mailchimp.com)"))),
    TWILIO_SMS("twilio_sms", Channel.SMS, Shape.MESSAGE, 1, 100, 100, "https://api.twilio.com", List.of(
            ConfigField.config("accountSid", "AC[0-9a-fA-F]{32}", "the account SID"),
            ConfigField.optional("messagingServiceSid", "MG[0-9a-fA-F]{32}", "send through a Messaging Service"),
            ConfigField.optional("from", "\\+[1-9][0-9]{6,14}", "or from this number (E.164)"),
            ConfigField.secret("authToken", "\\S{16,}", "the account's auth token"))),
    FCM_PUSH("fcm_push", Channel.PUSH, Shape.MESSAGE, 1, 500, 500, "https://fcm.googleapis.com", List.of(
            ConfigField.config("projectId", "[a-z][a-z0-9-]{3,60}", "the Firebase project id"),
            ConfigField.config("clientEmail", "[^@\\s]+@[^@\\s]+", "the service account's email"),
            ConfigField.optional("tokenUrl", "https?://\\S+", "OAuth 2.0 token endpoint (default Google's)"),
            ConfigField.secret("privateKey", "(?s)-----BEGIN PRIVATE KEY-----.+-----END PRIVATE KEY-----\\s*",
                    "the service account's PKCS#8 private key (PEM)")));

    /** How long an audience change waits to be batched with others before it is sent (every audience type). */
    public static final Duration AUDIENCE_LINGER = Duration.ofSeconds(1);

    /** Google's OAuth 2.0 token endpoint, for service-account tokens. */
    public static final String GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

    /** Settings every type accepts. */
    static final List<ConfigField> COMMON = List.of(
            ConfigField.optional("baseUrl", "https?://\\S+", "the vendor's API root (tests and the local sandbox point it at stubs)"),
            ConfigField.optional("rate", "[0-9]+(\\.[0-9]+)?", "requests per second, at most the vendor's limit"),
            ConfigField.optional("burst", "[0-9]{1,6}", "token bucket size"),
            ConfigField.optional("concurrency", "[1-9][0-9]?", "messages in flight at once (message channels; default 4)"));

    /** Mirror a list (audiences) or send a message per change. */
    public enum Shape {
        AUDIENCE, MESSAGE
    }

    private final String id;
    private final Channel channel;
    private final Shape shape;
    private final int maxBatch;
    private final double rate;
    private final int burst;
    private final String defaultBaseUrl;
    private final List<ConfigField> fields;

    DestinationType(String id, Channel channel, Shape shape, int maxBatch, double rate, int burst, String defaultBaseUrl,
                    List<ConfigField> fields) {
        this.id = id;
        this.channel = channel;
        this.shape = shape;
        this.maxBatch = maxBatch;
        this.rate = rate;
        this.burst = burst;
        this.defaultBaseUrl = defaultBaseUrl;
        this.fields = fields;
    }

    public static Optional<DestinationType> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    public String id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public Shape shape() {
        return shape;
    }

    public boolean isAudience() {
        return shape == Shape.AUDIENCE;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public double rate() {
        return rate;
    }

    public int burst() {
        return burst;
    }

    /** The vendor's API root, used when a destination names no {@code baseUrl}; null when it has to be derived. */
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** The type's own settings (without {@link #COMMON}). */
    public List<ConfigField> fields() {
        return fields;
    }

    /** How long changes wait to be batched with others (audiences) before being sent. */
    public Duration linger() {
        return isAudience() ? AUDIENCE_LINGER : Duration.ZERO;
    }

    /** Every accepted type id, for error messages. */
    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(DestinationType::id).toList());
    }
}
