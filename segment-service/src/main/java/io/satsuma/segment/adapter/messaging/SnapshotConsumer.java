package io.satsuma.segment.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.segment.application.TrackProfiles;
import io.satsuma.segment.application.TrackProfiles.ProfileChange;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.PollHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the compacted {@code satsuma.profiles.v1} through the {@link ConsumerPipeline}, a poll per
 * transaction. Tombstones are skipped: the erasure marker on {@code satsuma.profile-events.v1} did the work.
 */
@ApplicationScoped
class SnapshotConsumer implements PollHandler<ProfileChange.Snapshot> {
    private final ConsumerPipeline pipeline;
    private final TrackProfiles track;
    private final ObjectMapper json;

    SnapshotConsumer(ConsumerPipeline pipeline, TrackProfiles track, ObjectMapper json) {
        this.pipeline = pipeline;
        this.track = track;
        this.json = json;
    }

    @Incoming("profiles-in")
    @Blocking(ordered = true)
    void consume(ConsumerRecords<String, String> poll) throws InterruptedException {
        pipeline.consume(this, poll);
    }

    @Override
    public String channel() {
        return "profiles-in";
    }

    @Override
    public ProfileChange.Snapshot decode(ConsumerRecord<String, String> record) throws Exception {
        if (record.value() == null) {
            return null;
        }
        return new ProfileChange.Snapshot(CloudEventRecords.requiredWorkspace(record),
                json.readValue(record.value(), ProfileSnapshot.class));
    }

    @Override
    public void handle(List<ProfileChange.Snapshot> snapshots) {
        track.applySnapshots(snapshots);
    }
}
