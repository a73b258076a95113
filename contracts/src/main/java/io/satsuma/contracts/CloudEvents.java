package io.satsuma.contracts;

/**
 * CloudEvents 1.0 in Kafka binary mode: the event's metadata travels as record headers, the
 * payload (JSON) as the record value. {@code workspace} is Satsuma's extension attribute, carried as
 * {@code ce_workspace} (how the Kafka binding names extensions) and, for v1 readers and server-side
 * producers written against the first contract, also as a plain {@code workspace} header (see ADR 009).
 */
public final class CloudEvents {
    public static final String SPEC_VERSION = "1.0";

    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_CONTENT_TYPE = "content-type";
    /** The workspace extension attribute, as the CloudEvents Kafka binding names it. */
    public static final String HEADER_CE_WORKSPACE = "ce_workspace";
    /** The same, as v1 has always carried it; readers take either, {@code ce_workspace} first. */
    public static final String HEADER_WORKSPACE = "workspace";
    /** The extension attribute's name. */
    public static final String EXTENSION_WORKSPACE = "workspace";

    public static final String CONTENT_TYPE_JSON = "application/json";

    /** A raw event accepted by ingestion ({@code satsuma.events.v1}). */
    public static final String TYPE_EVENT_INGESTED = "io.satsuma.event.ingested.v1";
    /** An event attributed to a profile ({@code satsuma.profile-events.v1}). */
    public static final String TYPE_PROFILE_EVENT = "io.satsuma.profile.event.v1";
    /** Two profiles merged into one ({@code satsuma.profile-events.v1}). */
    public static final String TYPE_PROFILES_MERGED = "io.satsuma.profile.merged.v1";
    /** An operator unmerged a profile: {@code ProfilesUnmerged} on satsuma.profile-events.v1. */
    public static final String TYPE_PROFILES_UNMERGED = "io.satsuma.profile.unmerged.v1";
    /** A person was erased ({@code satsuma.profile-events.v1}); profiles.v1 gets a tombstone. */
    public static final String TYPE_PROFILE_ERASED = "io.satsuma.profile.erased.v1";
    /**
     * A tombstone (null value) under the key of an erased person's event on {@code satsuma.profile-events.v1}:
     * compaction then removes the event (ADR 018). Consumers skip it; the erase marker did the work.
     */
    public static final String TYPE_PROFILE_EVENT_ERASED = "io.satsuma.profile.event.erased.v1";
    /** Another service asks profile-service to record a channel's report about a profile ({@code satsuma.events.v1}). */
    public static final String TYPE_PROFILE_COMMAND = "io.satsuma.profile.command.v1";
    /** A profile's new snapshot ({@code satsuma.profiles.v1}). */
    public static final String TYPE_PROFILE_CHANGED = "io.satsuma.profile.changed.v1";
    /** A profile entered or left a segment ({@code satsuma.memberships.v1}). */
    public static final String TYPE_MEMBERSHIP_CHANGED = "io.satsuma.membership.changed.v1";
    /** The outcome of a delivery to a destination ({@code satsuma.deliveries.v1}). */
    public static final String TYPE_DELIVERY_COMPLETED = "io.satsuma.delivery.completed.v1";
    /** A workspace's newly fitted predictive models ({@code satsuma.models.v1}). */
    public static final String TYPE_MODELS_FITTED = "io.satsuma.models.fitted.v1";

    private CloudEvents() {
    }
}
