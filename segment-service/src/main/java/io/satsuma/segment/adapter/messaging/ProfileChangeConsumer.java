package io.satsuma.segment.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.contracts.profile.v1.ProfilesUnmerged;
import io.satsuma.segment.application.TrackProfiles;
import io.satsuma.segment.application.TrackProfiles.ProfileChange;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.ConsumerPipeline;
import io.satsuma.support.kafka.PollHandler;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes profile-service's two topics through the {@link ConsumerPipeline}, a poll per transaction, each
 * partition in order: {@code satsuma.profile-events.v1} (resolved events, merge, unmerge and erase markers) and
 * the compacted {@code satsuma.profiles.v1} (snapshots; tombstones are skipped, the erase marker did the work).
 * One consumer for both, so that a profile's event and its new snapshot are applied and evaluated in one poll.
 */
@ApplicationScoped
class ProfileChangeConsumer implements PollHandler<ProfileChange> {
    private static final Logger LOG = Logger.getLogger(ProfileChangeConsumer.class);
    private static final String CHANNEL = "profile-changes-in";

    private final ConsumerPipeline pipeline;
    private final TrackProfiles track;
    private final ObjectMapper json;

    ProfileChangeConsumer(ConsumerPipeline pipeline, TrackProfiles track, ObjectMapper json) {
        this.pipeline = pipeline;
        this.track = track;
        this.json = json;
    }

    @Incoming(CHANNEL)
    @Blocking(ordered = true)
    void consume(ConsumerRecords<String, String> poll) throws InterruptedException {
        pipeline.consume(this, poll);
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    /** Before ADR 013 each topic had its own consumer; their dead letters replay here. */
    @Override
    public Set<String> formerChannels() {
        return Set.of("profile-events-in", "profiles-in");
    }

    @Override
    public ProfileChange decode(ConsumerRecord<String, String> record) throws Exception {
        if (record.topic().equals(Topic.PROFILES.topicName())) {
            return record.value() == null ? null : new ProfileChange.Snapshot(CloudEventRecords.requiredWorkspace(record),
                    json.readValue(record.value(), ProfileSnapshot.class));
        }
        String type = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_TYPE);
        String workspace = CloudEventRecords.requiredWorkspace(record);
        return switch (type) {
            case CloudEvents.TYPE_PROFILE_EVENT -> new ProfileChange.Event(workspace,
                    json.readValue(record.value(), ProfileEvent.class));
            case CloudEvents.TYPE_PROFILES_MERGED -> new ProfileChange.Merged(workspace,
                    json.readValue(record.value(), ProfilesMerged.class));
            case CloudEvents.TYPE_PROFILES_UNMERGED -> new ProfileChange.Unmerged(workspace,
                    json.readValue(record.value(), ProfilesUnmerged.class));
            case CloudEvents.TYPE_PROFILE_ERASED -> new ProfileChange.Erased(workspace,
                    json.readValue(record.value(), ProfileErased.class));
            default -> {
                LOG.debugf("ignoring %s", type);
                yield null;
            }
        };
    }

    @Override
    public void handle(List<ProfileChange> changes) {
        track.apply(changes);
    }
}
