package io.satsuma.platform;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far the services' consumer groups are behind the ends of their topics. */
public final class ConsumerLag implements AutoCloseable {
    public static final List<String> GROUPS =
            List.of("profile-service", "segment-service", "segment-service-models", "activation-service", "insights-service");

    private final Admin admin;

    public ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Messages not yet consumed, per group: on every partition assigned to the group (or with a committed
     * offset), from the committed offset — or, where the group has committed nothing yet, from the start of
     * the log (the groups read from the earliest offset) — to the end.
     */
    public Map<String, Long> byGroup() throws ExecutionException, InterruptedException {
        Map<String, Set<TopicPartition>> assigned = new HashMap<>();
        admin.describeConsumerGroups(GROUPS).all().get().forEach((group, description) -> description.members()
                .forEach(member -> assigned.computeIfAbsent(group, g -> new HashSet<>())
                        .addAll(member.assignment().topicPartitions())));
        Map<String, Long> lags = new LinkedHashMap<>();
        for (String group : GROUPS) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
            partitions.addAll(assigned.getOrDefault(group, Set.of()));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            partitions.forEach(tp -> {
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            });
            var ends = admin.listOffsets(latest).all().get();
            var starts = admin.listOffsets(earliest).all().get();
            long lag = 0;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata done = committed.get(tp);
                long from = done == null ? starts.get(tp).offset() : done.offset();
                lag += Math.max(0, ends.get(tp).offset() - from);
            }
            lags.put(group, lag);
        }
        return lags;
    }

    /**
     * Waits until every group has no lag twice in a row (outboxes publish as they go, so one group catching
     * up can give another more to do); returns when each group was first seen caught up for good, measured
     * from the call, or an empty map on timeout.
     */
    public Map<String, Duration> awaitIdle(Duration timeout) throws ExecutionException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Map<String, Duration> caughtUp = new LinkedHashMap<>();
        int quietRounds = 0;
        while (System.nanoTime() < deadline) {
            Map<String, Long> lags = byGroup();
            Duration now = Duration.ofNanos(System.nanoTime() - start);
            lags.forEach((group, lag) -> {
                if (lag == 0) {
                    caughtUp.putIfAbsent(group, now);
                } else {
                    caughtUp.remove(group);
                }
            });
            quietRounds = caughtUp.size() == GROUPS.size() ? quietRounds + 1 : 0;
            if (quietRounds >= 2) {
                return caughtUp;
            }
            Thread.sleep(500);
        }
        return Map.of();
    }

    @Override
    public void close() {
        admin.close();
    }
}
