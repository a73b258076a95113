package io.satsuma.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class ProfileKeyPartitionerTest {
    private static final Node BROKER = new Node(0, "localhost", 9092);
    private final ProfileKeyPartitioner partitioner = new ProfileKeyPartitioner();

    @Test
    void aProfileEventLandsWhereAKeyOfJustItsProfileIdWould() {
        Cluster cluster = cluster(Topic.PROFILE_EVENTS.topicName(), Topic.PROFILE_PARTITIONS);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String profileId = "p-" + i;
            int byProfile = BuiltInPartitioner.partitionForKey(bytes(profileId), Topic.PROFILE_PARTITIONS);
            String eventKey = ProfileEventKeys.event(profileId, "m-" + i);
            String markerKey = ProfileEventKeys.marker(profileId);
            assertThat(partition(cluster, Topic.PROFILE_EVENTS.topicName(), eventKey)).isEqualTo(byProfile);
            assertThat(partition(cluster, Topic.PROFILE_EVENTS.topicName(), markerKey)).isEqualTo(byProfile);
            assertThat(partition(cluster, Topic.PROFILE_EVENTS.topicName(), profileId)).isEqualTo(byProfile);
            seen.add(byProfile);
        }
        assertThat(seen).hasSize(Topic.PROFILE_PARTITIONS);
    }

    @Test
    void otherTopicsArePartitionedByTheWholeKeyAsKafkaWouldBe() {
        Cluster cluster = cluster(Topic.EVENTS.topicName(), Topic.PROFILE_PARTITIONS);
        int differs = 0;
        for (int i = 0; i < 200; i++) {
            String key = "user-" + i + "/shop";
            int whole = BuiltInPartitioner.partitionForKey(bytes(key), Topic.PROFILE_PARTITIONS);
            assertThat(partition(cluster, Topic.EVENTS.topicName(), key)).isEqualTo(whole);
            if (whole != BuiltInPartitioner.partitionForKey(bytes("user-" + i), Topic.PROFILE_PARTITIONS)) {
                differs++;
            }
        }
        assertThat(differs).as("keys with a slash are not cut outside profile events").isPositive();
    }

    @Test
    void keysNameTheirProfile() {
        assertThat(ProfileEventKeys.profileIdOf(ProfileEventKeys.event("p1", "m/1"))).isEqualTo("p1");
        assertThat(ProfileEventKeys.profileIdOf("p1")).isEqualTo("p1");
        assertThat(ProfileEventKeys.marker("p1")).startsWith("p1/").isNotEqualTo(ProfileEventKeys.marker("p1"));
    }

    private int partition(Cluster cluster, String topic, String key) {
        return partitioner.partition(topic, key, bytes(key), null, null, cluster);
    }

    private static Cluster cluster(String topic, int partitions) {
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(topic, p, BROKER, new Node[] {BROKER}, new Node[] {BROKER}));
        }
        return new Cluster("test", List.of(BROKER), infos, Set.of(), Set.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
