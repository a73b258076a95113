package io.satsuma.segment.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.profile.v1.ProfileErased;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.contracts.profile.v1.ProfilesUnmerged;
import io.satsuma.segment.application.QueryMemberships;
import io.satsuma.segment.application.TrackProfiles;
import io.satsuma.support.kafka.CloudEventRecords;
import io.satsuma.support.kafka.DeadLetters;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes profile snapshots and resolved events a poll at a time. Each workspace's snapshots, and each
 * run of plain events between merge/unmerge/erase markers, are handled in one transaction that evaluates
 * every profile once (markers are handled one by one, in order). Offsets are committed after the
 * transactions; handlers are idempotent, so a redelivery after a crash changes nothing. If a batch
 * fails, its records are handled one per transaction and a record that still fails goes to
 * {@code <topic>.dlq}. The cache is refreshed only after the commits.
 */
@ApplicationScoped
class ProfileConsumers {
    private static final Logger LOG = Logger.getLogger(ProfileConsumers.class);

    private final TrackProfiles track;
    private final QueryMemberships queries;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    ProfileConsumers(TrackProfiles track, QueryMemberships queries, DeadLetters deadLetters, ObjectMapper json) {
        this.track = track;
        this.queries = queries;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @Incoming("profiles-in")
    @Blocking(ordered = true)
    void onSnapshots(ConsumerRecords<String, String> records) throws Exception {
        Map<String, List<ConsumerRecord<String, String>>> byWorkspace = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            if (record.value() != null) { // a tombstone: the erasure on profile-events did the work
                byWorkspace.computeIfAbsent(CloudEventRecords.header(record, CloudEvents.HEADER_WORKSPACE),
                        w -> new ArrayList<>()).add(record);
            }
        }
        for (var entry : byWorkspace.entrySet()) {
            try {
                List<ProfileSnapshot> snapshots = new ArrayList<>();
                for (ConsumerRecord<String, String> record : entry.getValue()) {
                    snapshots.add(json.readValue(record.value(), ProfileSnapshot.class));
                }
                cacheApplied(entry.getKey(), track.onSnapshots(entry.getKey(), snapshots));
            } catch (Exception e) {
                LOG.debugf("a batch of %d snapshots failed (%s); one by one", entry.getValue().size(), e.getMessage());
                for (ConsumerRecord<String, String> record : entry.getValue()) {
                    try {
                        onSnapshot(record);
                    } catch (Exception poison) {
                        deadLetters.send(record, poison);
                    }
                }
            }
        }
    }

    private void onSnapshot(ConsumerRecord<String, String> record) throws Exception {
        String workspace = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE);
        ProfileSnapshot snapshot = json.readValue(record.value(), ProfileSnapshot.class);
        cacheApplied(workspace, track.onSnapshot(workspace, snapshot).isEmpty() ? List.of() : List.of(snapshot));
    }

    private void cacheApplied(String workspace, List<ProfileSnapshot> applied) {
        queries.refresh(workspace, applied.stream().map(ProfileSnapshot::profileId).toList());
        applied.stream().filter(s -> s.identifiers() != null)
                .forEach(s -> queries.cacheIdentifiers(workspace, s.profileId(), s.identifiers()));
    }

    @Incoming("profile-events-in")
    @Blocking(ordered = true)
    void onProfileEvents(ConsumerRecords<String, String> records) throws Exception {
        List<ConsumerRecord<String, String>> run = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            if (CloudEvents.TYPE_PROFILE_EVENT.equals(CloudEventRecords.header(record, CloudEvents.HEADER_TYPE))) {
                run.add(record);
                continue;
            }
            handleRun(run);
            run.clear();
            try {
                onMarker(record);
            } catch (Exception poison) {
                deadLetters.send(record, poison);
            }
        }
        handleRun(run);
    }

    /** Plain events, per workspace in one transaction; one by one if that fails. */
    private void handleRun(List<ConsumerRecord<String, String>> run) throws Exception {
        Map<String, List<ConsumerRecord<String, String>>> byWorkspace = new LinkedHashMap<>();
        run.forEach(r -> byWorkspace.computeIfAbsent(CloudEventRecords.header(r, CloudEvents.HEADER_WORKSPACE),
                w -> new ArrayList<>()).add(r));
        for (var entry : byWorkspace.entrySet()) {
            try {
                List<ProfileEvent> events = new ArrayList<>();
                for (ConsumerRecord<String, String> record : entry.getValue()) {
                    events.add(json.readValue(record.value(), ProfileEvent.class));
                }
                queries.refresh(entry.getKey(), track.onEvents(entry.getKey(), events));
            } catch (Exception e) {
                LOG.debugf("a batch of %d events failed (%s); one by one", entry.getValue().size(), e.getMessage());
                for (ConsumerRecord<String, String> record : entry.getValue()) {
                    try {
                        String workspace = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE);
                        queries.refresh(workspace, track.onEvent(workspace, json.readValue(record.value(), ProfileEvent.class)));
                    } catch (Exception poison) {
                        deadLetters.send(record, poison);
                    }
                }
            }
        }
    }

    private void onMarker(ConsumerRecord<String, String> record) throws Exception {
        String workspace = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_WORKSPACE);
        String type = CloudEventRecords.requiredHeader(record, CloudEvents.HEADER_TYPE);
        if (CloudEvents.TYPE_PROFILES_MERGED.equals(type)) {
            queries.refresh(workspace, track.onMerge(workspace, json.readValue(record.value(), ProfilesMerged.class)));
        } else if (CloudEvents.TYPE_PROFILES_UNMERGED.equals(type)) {
            queries.refresh(workspace, track.onUnmerge(workspace, json.readValue(record.value(), ProfilesUnmerged.class)));
        } else if (CloudEvents.TYPE_PROFILE_ERASED.equals(type)) {
            TrackProfiles.Erasure erasure = track.onErase(workspace, json.readValue(record.value(), ProfileErased.class));
            queries.forget(workspace, erasure.profileId(), erasure.identifiers());
        } else {
            LOG.debugf("ignoring %s", type);
        }
    }
}
