package io.satsuma.contracts;

import java.util.Map;

/**
 * The Kafka topics that connect the services, with the partition counts and configs they are
 * created with. Topics are never auto-created: the local infrastructure and the deployment create
 * them from this list.
 *
 * <p>All profile-keyed topics share one partition count, so that a profile's events, snapshots and
 * membership changes land on the same partition number everywhere (co-partitioning).
 */
public enum Topic {
    /** Raw events as ingested (Segment spec), keyed by their first identifier. */
    EVENTS("satsuma.events.v1", Topic.PROFILE_PARTITIONS, Map.of("retention.ms", days(7))),
    /**
     * Events after identity resolution plus merge markers, keyed {@code <profileId>/<record id>}
     * ({@link ProfileEventKeys}) and partitioned by profile id; replayable for 400 days. Compacted too, so that the
     * tombstones erasure publishes remove a person's events within {@link #ERASURE_DAYS} (ADR 018).
     */
    PROFILE_EVENTS("satsuma.profile-events.v1", Topic.PROFILE_PARTITIONS, Map.of("cleanup.policy", "compact,delete",
            "retention.ms", days(400), "max.compaction.lag.ms", days(Topic.ERASURE_DAYS),
            "delete.retention.ms", days(1))),
    /** Latest snapshot per profile (log-compacted), keyed by profile id; an erased profile's tombstone included. */
    PROFILES("satsuma.profiles.v1", Topic.PROFILE_PARTITIONS, Map.of("cleanup.policy", "compact",
            "min.compaction.lag.ms", "60000", "max.compaction.lag.ms", days(Topic.ERASURE_DAYS),
            "delete.retention.ms", days(1))),
    /** Segment enter/exit changes, keyed by profile id, ordered per profile. */
    MEMBERSHIPS("satsuma.memberships.v1", Topic.PROFILE_PARTITIONS, Map.of("retention.ms", days(30))),
    /** Outcomes of deliveries to destinations. */
    DELIVERIES("satsuma.deliveries.v1", 4, Map.of("retention.ms", days(30))),
    /** Each workspace's current predictive models (log-compacted), keyed by workspace; a handful of records. */
    MODELS("satsuma.models.v1", 1, Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000"));

    /**
     * Days within which compaction has removed what an erasure tombstoned (its segment rolled and cleaned); the
     * raw {@link #EVENTS} topic forgets by its retention, also 7 days.
     */
    public static final int ERASURE_DAYS = 7;

    /** Partition count shared by every profile-keyed topic. */
    public static final int PROFILE_PARTITIONS = 8;

    private final String topicName;
    private final int partitions;
    private final Map<String, String> configs;

    Topic(String topicName, int partitions, Map<String, String> configs) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.configs = configs;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    public Map<String, String> configs() {
        return configs;
    }

    /** Name of the dead-letter topic of this topic. */
    public String deadLetterTopicName() {
        return topicName + ".dlq";
    }

    /** Dead letters are kept two weeks: time for an operator to mend the cause and replay them. */
    public static final int DEAD_LETTER_RETENTION_DAYS = 14;

    /** Configs of the dead-letter topic (one partition: dead letters are few, and replay reads them all). */
    public Map<String, String> deadLetterConfigs() {
        return Map.of("retention.ms", days(DEAD_LETTER_RETENTION_DAYS));
    }

    private static String days(int days) {
        return Long.toString(days * 86_400_000L);
    }
}
