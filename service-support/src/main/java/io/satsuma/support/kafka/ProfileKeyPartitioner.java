package io.satsuma.support.kafka;

import io.satsuma.contracts.ProfileEventKeys;
import io.satsuma.contracts.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's own choice of partition (murmur2 of the key), except that a {@code satsuma.profile-events.v1} record is
 * placed by the profile id its key begins with ({@link ProfileEventKeys}): every record of a profile lands where a
 * key of just the profile id would, whatever follows the slash.
 */
public class ProfileKeyPartitioner implements Partitioner {

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionsForTopic(topic).size();
        if (keyBytes == null) {
            return ThreadLocalRandom.current().nextInt(partitions);
        }
        byte[] hashed = Topic.PROFILE_EVENTS.topicName().equals(topic)
                ? ProfileEventKeys.profileIdOf((String) key).getBytes(StandardCharsets.UTF_8) : keyBytes;
        return partitionOf(hashed, partitions);
    }

    /** The partition Kafka's default partitioner gives a key of these bytes. */
    public static int partitionOf(byte[] keyBytes, int partitions) {
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
