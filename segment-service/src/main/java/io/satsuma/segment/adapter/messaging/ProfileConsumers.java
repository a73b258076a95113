package io.satsuma.segment.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.segment.application.QueryMemberships;
import io.satsuma.segment.application.TrackProfiles;
import io.satsuma.support.kafka.CloudEventRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes profile snapshots and resolved events. Offsets are committed after the handler's
 * transaction; handlers are idempotent, so a redelivery after a crash changes nothing. The cache is
 * refreshed only after the commit.
 */
@ApplicationScoped
class ProfileConsumers {
    private static final Logger LOG = Logger.getLogger(ProfileConsumers.class);

    private final TrackProfiles track;
    private final QueryMemberships queries;
    private final ObjectMapper json;

    ProfileConsumers(TrackProfiles track, QueryMemberships queries, ObjectMapper json) {
        this.track = track;
        this.queries = queries;
        this.json = json;
    }

    @Incoming("profiles-in")
    @Blocking(ordered = true)
    void onSnapshot(ConsumerRecord<String, String> record) throws Exception {
        if (record.value() == null) {
            return;
        }
        String workspace = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE);
        ProfileSnapshot snapshot = json.readValue(record.value(), ProfileSnapshot.class);
        List<String> changed = track.onSnapshot(workspace, snapshot);
        queries.refresh(workspace, changed);
        if (!changed.isEmpty() && snapshot.identifiers() != null) {
            queries.cacheIdentifiers(workspace, snapshot.profileId(), snapshot.identifiers());
        }
    }

    @Incoming("profile-events-in")
    @Blocking(ordered = true)
    void onProfileEvent(ConsumerRecord<String, String> record) throws Exception {
        String workspace = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE);
        String type = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_TYPE);
        List<String> changed;
        if (CloudEvents.TYPE_PROFILE_EVENT.equals(type)) {
            changed = track.onEvent(workspace, json.readValue(record.value(), ProfileEvent.class));
        } else if (CloudEvents.TYPE_PROFILES_MERGED.equals(type)) {
            changed = track.onMerge(workspace, json.readValue(record.value(), ProfilesMerged.class));
        } else if (CloudEvents.TYPE_PROFILES_UNMERGED.equals(type)) {
            changed = track.onUnmerge(workspace,
                    json.readValue(record.value(), io.satsuma.contracts.profile.v1.ProfilesUnmerged.class));
        } else if (CloudEvents.TYPE_PROFILE_ERASED.equals(type)) {
            TrackProfiles.Erasure erasure = track.onErase(workspace,
                    json.readValue(record.value(), io.satsuma.contracts.profile.v1.ProfileErased.class));
            queries.forget(workspace, erasure.profileId(), erasure.identifiers());
            return;
        } else {
            LOG.debugf("ignoring %s", type);
            return;
        }
        queries.refresh(workspace, changed);
    }
}
