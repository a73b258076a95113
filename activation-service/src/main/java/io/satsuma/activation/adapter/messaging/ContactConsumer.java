package io.satsuma.activation.adapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.activation.application.ProjectContacts;
import io.satsuma.activation.domain.Contact;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
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
 * Reads the compacted {@code satsuma.profiles.v1} into activation's contact projection: snapshots (version-checked)
 * and erasure tombstones. Replaying it is harmless.
 */
@ApplicationScoped
class ContactConsumer implements PollHandler<ProjectContacts.Update> {
    private final ConsumerPipeline pipeline;
    private final ProjectContacts project;
    private final ObjectMapper json;

    ContactConsumer(ConsumerPipeline pipeline, ProjectContacts project, ObjectMapper json) {
        this.pipeline = pipeline;
        this.project = project;
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
    public ProjectContacts.Update decode(ConsumerRecord<String, String> record) throws Exception {
        String type = CloudEventRecords.header(record, CloudEvents.HEADER_TYPE);
        if (CloudEvents.TYPE_PROFILE_ERASED.equals(type)) {
            return new ProjectContacts.Update(CloudEventRecords.requiredWorkspace(record), record.key(), null);
        }
        if (!CloudEvents.TYPE_PROFILE_CHANGED.equals(type) || record.value() == null) {
            return null;
        }
        String workspace = CloudEventRecords.requiredWorkspace(record);
        ProfileSnapshot snapshot = json.readValue(record.value(), ProfileSnapshot.class);
        return new ProjectContacts.Update(workspace, snapshot.profileId(), Contact.of(workspace, snapshot));
    }

    @Override
    public void handle(List<ProjectContacts.Update> updates) {
        project.apply(updates);
    }
}
