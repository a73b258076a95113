package io.satsuma.activation.application;

import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.ConsentPolicy;
import io.satsuma.activation.domain.Contact;
import io.satsuma.activation.domain.Contacts;
import io.satsuma.activation.domain.Deliveries;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.Destinations;
import io.satsuma.activation.domain.MessageTemplate;
import io.satsuma.activation.domain.QuietHours;
import io.satsuma.activation.domain.SegmentMembers;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.SyncMode;
import io.satsuma.activation.domain.SyncSettings;
import io.satsuma.activation.domain.Syncs;
import io.satsuma.activation.domain.Templates;
import io.satsuma.activation.domain.Violation;
import io.satsuma.support.failure.Conflict;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Syncs of a workspace: created with validated settings (an audience sync starts with a full upload of the segment's
 * current members), resynced (members and ledger diffed, only the difference sent), resumed after a pause, previewed
 * for a person, and their status.
 */
@ApplicationScoped
public class ManageSyncs {
    private final Syncs syncs;
    private final Destinations destinations;
    private final AudienceQueue audiences;
    private final Deliveries deliveries;
    private final Contacts contacts;
    private final SegmentMembers members;
    private final Templates templates;
    private final Reach reach;
    private final Clock clock;

    ManageSyncs(Syncs syncs, Destinations destinations, AudienceQueue audiences, Deliveries deliveries, Contacts contacts,
                SegmentMembers members, Templates templates, Reach reach, Clock clock) {
        this.syncs = syncs;
        this.destinations = destinations;
        this.audiences = audiences;
        this.deliveries = deliveries;
        this.contacts = contacts;
        this.members = members;
        this.templates = templates;
        this.reach = reach;
        this.clock = clock;
    }

    /** A sync as asked for, fields as given (null when absent). */
    public record NewSync(String segmentId, String destinationId, String mode, String consentPolicy,
                          Map<String, String> mapping, MessageTemplate template, String quietStart, String quietEnd,
                          String quietTimeZone, boolean quietHours, Boolean subscribe, String tag, String statusIfNew) {
    }

    @Transactional
    public Sync create(String workspace, NewSync request) {
        Validated v = validate(workspace, request);
        if (v.destination().type().isAudience() && !syncs.ofDestination(v.destination().id()).isEmpty()) {
            throw new Conflict("destination " + v.destination().id() + " already mirrors a segment: one audience holds "
                    + "one segment (create another destination for another audience)");
        }
        if (syncs.ofSegment(workspace, request.segmentId()).stream()
                .anyMatch(s -> s.destinationId().equals(request.destinationId()))) {
            throw new Conflict("this segment already syncs to this destination");
        }
        Instant now = clock.instant();
        Sync sync = new Sync(UUID.randomUUID().toString(), workspace, request.segmentId(), request.destinationId(),
                v.mode(), v.settings(), Sync.State.ACTIVE, null, now);
        syncs.add(sync);
        if (v.mode() == SyncMode.MIRROR) {
            syncs.startUpload(sync.id(), audiences.countMembers(sync), Syncs.UploadPhase.MEMBERS, false, now);
        }
        return sync;
    }

    /** What a sync would send to one person now, without sending it. */
    public record Preview(boolean reached, String whyNot, Object content) {
    }

    /** Validates a sync as {@link #create} would and shows what it would send to the profile. */
    public Preview preview(String workspace, NewSync request, String profileId) {
        Validated v = validate(workspace, request);
        Sync sync = new Sync("preview", workspace, request.segmentId(), request.destinationId(), v.mode(), v.settings(),
                Sync.State.ACTIVE, null, clock.instant());
        return preview(sync, v.destination(), profileId);
    }

    public Preview preview(String workspace, String syncId, String profileId) {
        Sync sync = get(workspace, syncId);
        return preview(sync, destinations.byId(sync.destinationId()).orElseThrow(), profileId);
    }

    private Preview preview(Sync sync, Destination destination, String profileId) {
        if (profileId == null || profileId.isBlank()) {
            throw InvalidInput.of("a preview needs a profile", "profileId", "required");
        }
        Contact contact = contacts.find(sync.workspace(), List.of(profileId)).get(profileId);
        if (destination.type().isAudience()) {
            boolean member = members.reachable(sync.workspace(), sync.segmentId(), List.of(profileId))
                    .getOrDefault(profileId, false);
            // A preview shows the payload for a person as if they were in the segment, and says whether they are.
            Reach.Audience audience = reach.audience(sync, destination.type(), contact, true);
            String whyNot = audience.whyNot() != null ? audience.whyNot() : member ? null : "not in the segment now";
            return new Preview(whyNot == null, whyNot, audience.member() == null ? null : audience.member().payload());
        }
        Reach.Message message = reach.message(sync, destination, Reach.previewDelivery(sync, profileId, clock.instant()),
                contact);
        return new Preview(message.message() != null, message.whyNot(), message.message());
    }

    private record Validated(Destination destination, SyncMode mode, SyncSettings settings) {
    }

    private Validated validate(String workspace, NewSync r) {
        if (r == null) {
            throw new InvalidInput("a sync is required: {segmentId, destinationId, mode?, settings?}");
        }
        List<FieldError> errors = new ArrayList<>();
        if (r.segmentId() == null || r.segmentId().isBlank()) {
            errors.add(new FieldError("/segmentId", "required"));
        }
        Optional<Destination> destination = r.destinationId() == null ? Optional.empty()
                : destinations.find(workspace, r.destinationId());
        if (destination.isEmpty()) {
            errors.add(new FieldError("/destinationId", r.destinationId() == null ? "required" : "unknown destination"));
            throw new InvalidInput("the sync is invalid; nothing was saved", errors);
        }
        DestinationType type = destination.get().type();
        SyncMode mode = r.mode() == null ? SyncMode.defaultFor(type) : SyncMode.of(r.mode()).orElse(null);
        if (mode == null) {
            errors.add(new FieldError("/mode", "one of MIRROR, ON_ENTER, ON_ENTER_AND_EXIT"));
        }
        ConsentPolicy policy = ConsentPolicy.of(r.consentPolicy()).orElse(null);
        if (policy == null) {
            errors.add(new FieldError("/settings/consentPolicy", "one of REQUIRED, UNLESS_REVOKED"));
        }
        List<Violation> violations = new ArrayList<>();
        QuietHours quiet = r.quietHours()
                ? SyncSettings.quietHours(r.quietStart(), r.quietEnd(), r.quietTimeZone(), violations).orElse(null) : null;
        SyncSettings settings = new SyncSettings(policy, r.mapping(), r.template(), quiet,
                Boolean.TRUE.equals(r.subscribe()), r.tag(), r.statusIfNew());
        if (mode != null) {
            violations.addAll(settings.validate(type, mode));
        }
        MessageTemplate template = r.template();
        if (template != null) {
            check(template.title(), "/settings/template/title", violations);
            check(template.body(), "/settings/template/body", violations);
            template.data().forEach((k, v) -> check(v, "/settings/template/data/" + k, violations));
        }
        violations.forEach(v -> errors.add(new FieldError(v.pointer(), v.message())));
        if (!errors.isEmpty()) {
            throw new InvalidInput("the sync is invalid; nothing was saved", errors);
        }
        return new Validated(destination.get(), mode, settings);
    }

    private void check(String template, String pointer, List<Violation> violations) {
        if (template != null) {
            templates.check(template).ifPresent(error -> violations.add(new Violation(pointer, error)));
        }
    }

    public List<Sync> list(String workspace) {
        return syncs.list(workspace);
    }

    public Sync get(String workspace, String syncId) {
        return syncs.find(workspace, syncId).orElseThrow(() -> new NotFound("no sync " + syncId + " in this workspace"));
    }

    /**
     * Reconciles an audience with its segment: every member and everyone in the ledger is checked again, and only
     * the difference is sent (runs as an upload with progress). Returns how many people are checked.
     */
    @Transactional
    public long resync(String workspace, String syncId) {
        Sync sync = get(workspace, syncId);
        if (sync.mode() != SyncMode.MIRROR) {
            throw InvalidInput.of("only audience syncs resync", "/mode", "this sync sends messages; replay its failures");
        }
        long checking = audiences.countMembers(sync) + audiences.countLedgerOnly(sync);
        syncs.startUpload(sync.id(), checking, Syncs.UploadPhase.MEMBERS, true, clock.instant());
        return checking;
    }

    /** Resumes a paused sync; returns whether it was paused. */
    @Transactional
    public boolean resume(String workspace, String syncId) {
        Sync sync = get(workspace, syncId);
        return syncs.resume(sync.destinationId(), sync.id()) > 0;
    }

    /** Sends a message sync's dead-lettered deliveries again, in their order per profile. Returns how many. */
    @Transactional
    public int replayFailed(String workspace, String syncId) {
        get(workspace, syncId);
        return deliveries.requeueFailed(workspace, syncId, clock.instant());
    }

    /** Where a sync stands. Audience fields are null for message syncs and the other way round. */
    public record Status(String syncId, SyncMode mode, Sync.State state, String pausedReason, Long membersInDestination,
                         long pending, long sent, long failed, Long skipped, Long lagSeconds, String lastError,
                         Upload upload) {
    }

    /** A full upload: how far, how fast, how long still. */
    public record Upload(long total, long done, Instant startedAt, Instant finishedAt, Double membersPerSecond,
                         Long etaSeconds) {
    }

    public Status status(String workspace, String syncId) {
        Sync sync = get(workspace, syncId);
        Instant now = clock.instant();
        if (sync.mode() != SyncMode.MIRROR) {
            Deliveries.MessageCounts c = deliveries.counts(workspace, syncId);
            return new Status(syncId, sync.mode(), sync.state(), sync.pausedReason(), null, c.pending(), c.sent(),
                    c.failed(), c.skipped(), lag(c.oldestPendingSince(), now), c.lastError(), null);
        }
        Syncs.Progress p = syncs.progress(syncId);
        AudienceQueue.Pending pending = audiences.pending(syncId);
        Upload upload = null;
        if (p.uploadStartedAt() != null) {
            long done = Math.min(p.uploadDone(), p.uploadTotal());
            Instant end = p.uploadFinishedAt() != null ? p.uploadFinishedAt() : now;
            double seconds = Math.max(0.001, Duration.between(p.uploadStartedAt(), end).toMillis() / 1000.0);
            double rate = done / seconds;
            Long eta = !p.uploading() ? Long.valueOf(0) : rate > 0 ? Long.valueOf((long) Math.ceil(pending.count() / rate)) : null;
            upload = new Upload(p.uploadTotal(), done, p.uploadStartedAt(), p.uploadFinishedAt(),
                    Math.round(rate * 10) / 10.0, eta);
        }
        long toUpload = p.uploading() ? Math.max(0, p.uploadTotal() - p.uploadDone()) : 0;
        return new Status(syncId, sync.mode(), sync.state(), sync.pausedReason(), audiences.ledgerSize(syncId),
                pending.count() + toUpload, p.sent(), p.failed(), null, lag(pending.oldestDue(), now), p.lastError(), upload);
    }

    private static Long lag(Instant oldest, Instant now) {
        return oldest == null ? null : Math.max(0, Duration.between(oldest, now).toSeconds());
    }
}
