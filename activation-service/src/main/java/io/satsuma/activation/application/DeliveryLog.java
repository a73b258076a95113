package io.satsuma.activation.application;

import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.Deliveries;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.LedgerEntry;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.SyncMode;
import io.satsuma.activation.domain.Syncs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What activation sent a person: their messages, newest first, and where they stand in each audience. */
@ApplicationScoped
public class DeliveryLog {
    private static final int MESSAGES = 200;

    private final Deliveries deliveries;
    private final Syncs syncs;
    private final AudienceQueue audiences;

    DeliveryLog(Deliveries deliveries, Syncs syncs, AudienceQueue audiences) {
        this.deliveries = deliveries;
        this.syncs = syncs;
        this.audiences = audiences;
    }

    /** One message delivery. */
    public record Message(long id, String syncId, String destinationId, String segmentId, String change, String status,
                          int attempts, String lastError, Instant changedAt, Instant createdAt, Instant completedAt) {
    }

    /** A person's place in one audience: {@code IN_AUDIENCE} (the destination confirmed it) or not. */
    public record Audience(String syncId, String destinationId, String segmentId, boolean inAudience) {
    }

    public record Log(String profileId, List<Message> messages, List<Audience> audiences) {
    }

    public Log of(String workspace, String profileId) {
        List<Message> messages = new ArrayList<>();
        for (Deliveries.Logged logged : deliveries.ofProfile(workspace, profileId, MESSAGES)) {
            Delivery d = logged.delivery();
            messages.add(new Message(d.id(), d.syncId(), d.destinationId(), d.segmentId(), d.change(), d.status(),
                    d.attempts(), logged.lastError(), d.changedAt(), logged.createdAt(), logged.completedAt()));
        }
        List<Audience> places = new ArrayList<>();
        for (Sync sync : syncs.list(workspace)) {
            if (sync.mode() == SyncMode.MIRROR) {
                Map<String, LedgerEntry> held = audiences.ledger(sync.id(), List.of(profileId));
                places.add(new Audience(sync.id(), sync.destinationId(), sync.segmentId(), held.containsKey(profileId)));
            }
        }
        return new Log(profileId, messages, places);
    }
}
