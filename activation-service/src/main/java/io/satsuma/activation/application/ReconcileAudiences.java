package io.satsuma.activation.application;

import io.satsuma.activation.domain.AudienceChange;
import io.satsuma.activation.domain.AudienceConnector;
import io.satsuma.activation.domain.AudienceMember;
import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.Contact;
import io.satsuma.activation.domain.Contacts;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.LedgerEntry;
import io.satsuma.activation.domain.RetryPolicy;
import io.satsuma.activation.domain.SegmentMembers;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.Syncs;
import io.satsuma.activation.domain.Target;
import io.satsuma.activation.domain.Throttle;
import io.satsuma.activation.domain.UploadSession;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One step of an audience destination's lane: lease up to a vendor batch of marked people, decide for each what the
 * destination must hold (a consenting, reachable member of the segment, or nobody) against the ledger, send the
 * removals then the additions, and record what the destination confirmed. No transaction spans an HTTP call.
 *
 * <p>Transient failures (no answer, 5xx, 429) are retried with backoff, honouring {@code Retry-After}, for as long as
 * it takes: the goal is the destination's state. A refusal of the credentials pauses the sync. A person the vendor
 * refuses is tried {@value #MAX_REJECTIONS} times, then counted as failed.
 */
@ApplicationScoped
public class ReconcileAudiences {
    private static final Logger LOG = Logger.getLogger(ReconcileAudiences.class);
    static final int MAX_REJECTIONS = 3;
    /** A person the vendor refused is tried again this much later (a refusal is rarely transient). */
    private static final Duration REFUSED_RETRY = Duration.ofSeconds(10);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final RetryPolicy BACKOFF = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMinutes(5));

    private final Syncs syncs;
    private final AudienceQueue audiences;
    private final Contacts contacts;
    private final SegmentMembers members;
    private final Connectors connectors;
    private final DestinationSecrets secrets;
    private final Reach reach;
    private final Throttle throttle;
    private final Transactions tx;
    private final Clock clock;

    ReconcileAudiences(Syncs syncs, AudienceQueue audiences, Contacts contacts, SegmentMembers members,
                       Connectors connectors, DestinationSecrets secrets, Reach reach, Throttle throttle,
                       Transactions tx, Clock clock) {
        this.syncs = syncs;
        this.audiences = audiences;
        this.contacts = contacts;
        this.members = members;
        this.connectors = connectors;
        this.secrets = secrets;
        this.reach = reach;
        this.throttle = throttle;
        this.tx = tx;
        this.clock = clock;
    }

    /** What a step did: how many people it leased (0: nothing was due), and whether the sync is paused. */
    public record Step(int claimed, boolean paused) {
        static final Step IDLE = new Step(0, false);
    }

    public Step step(Destination destination) throws InterruptedException {
        Optional<Sync> found = syncs.ofDestination(destination.id()).stream().findFirst();
        if (found.isEmpty() || found.get().paused()) {
            return new Step(0, found.isPresent());
        }
        Sync sync = found.get();
        DestinationType type = destination.type();
        Instant now = clock.instant();
        List<AudienceQueue.Claimed> claims = tx.inNew(() ->
                audiences.claim(sync.id(), now, type.maxBatch(), now.plus(LEASE)));
        if (claims.isEmpty()) {
            finishUploadIfDone(sync, now);
            return Step.IDLE;
        }
        List<String> ids = claims.stream().map(AudienceQueue.Claimed::profileId).toList();
        Map<String, Contact> contactsById = contacts.find(sync.workspace(), ids);
        Map<String, Boolean> reachable = members.reachable(sync.workspace(), sync.segmentId(), ids);
        Map<String, LedgerEntry> ledger = audiences.ledger(sync.id(), ids);

        List<AudienceChange> changes = new ArrayList<>();
        List<String> unsubscribe = new ArrayList<>();
        for (String id : ids) {
            Contact contact = contactsById.get(id);
            Reach.Audience want = reach.audience(sync, type, contact, reachable.getOrDefault(id, false));
            AudienceChange change = AudienceChange.between(id, Optional.ofNullable(want.member()),
                    Optional.ofNullable(ledger.get(id)));
            changes.add(change);
            if (change.remove() != null && change.add() == null && sync.settings().subscribe() && contact != null
                    && contact.active() && Boolean.FALSE.equals(contact.consent().get("email"))) {
                contact.first("email").ifPresent(unsubscribe::add);
            }
        }
        Attempt attempt = send(destination, sync, changes, unsubscribe, claims.size());
        record(sync, claims, changes, attempt);
        return new Step(claims.size(), attempt.outcome() instanceof CallOutcome.Unauthorized);
    }

    /** The outcome of a step's calls: the first that was not {@code Done} stops the step. */
    private record Attempt(CallOutcome outcome, List<String> removed, List<AudienceMember> added, Map<String, String> refused) {
    }

    private Attempt send(Destination destination, Sync sync, List<AudienceChange> changes, List<String> unsubscribe,
                         int claimed) throws InterruptedException {
        AudienceConnector connector = connectors.audience(destination.type());
        List<LedgerEntry> removals = changes.stream().map(AudienceChange::remove).filter(r -> r != null).toList();
        List<AudienceMember> additions = changes.stream().map(AudienceChange::add).filter(a -> a != null).toList();
        if (removals.isEmpty() && additions.isEmpty()) {
            return new Attempt(CallOutcome.Done.all(), List.of(), List.of(), Map.of());
        }
        Target target = secrets.target(destination);
        Map<String, String> refused = new HashMap<>();
        List<String> removed = new ArrayList<>();
        if (!removals.isEmpty()) {
            throttle.acquire(destination);
            CallOutcome outcome = connector.remove(target, sync, removals);
            if (!(outcome instanceof CallOutcome.Done done)) {
                return new Attempt(outcome, List.of(), List.of(), Map.of());
            }
            refused.putAll(done.failed());
            removals.stream().map(LedgerEntry::profileId).filter(id -> !done.failed().containsKey(id)).forEach(removed::add);
            if (!unsubscribe.isEmpty()) {
                throttle.acquire(destination);
                connector.subscription(target, sync, unsubscribe, false);
            }
        }
        List<AudienceMember> added = new ArrayList<>();
        if (!additions.isEmpty()) {
            UploadSession session = session(sync, claimed);
            throttle.acquire(destination);
            CallOutcome outcome = connector.add(target, sync, additions, session);
            if (!(outcome instanceof CallOutcome.Done done)) {
                return new Attempt(outcome, removed, List.of(), refused);
            }
            refused.putAll(done.failed());
            additions.stream().filter(m -> !done.failed().containsKey(m.profileId())).forEach(added::add);
            if (sync.settings().subscribe() && !added.isEmpty()) {
                List<String> emails = added.stream().map(m -> String.valueOf(m.payload().get("email"))).toList();
                throttle.acquire(destination);
                CallOutcome subscribed = connector.subscription(target, sync, emails, true);
                if (!(subscribed instanceof CallOutcome.Done)) {
                    LOG.warnf("sync %s: %d people added but not subscribed (%s); the next resync subscribes them",
                            sync.id(), emails.size(), subscribed);
                }
            }
        }
        return new Attempt(CallOutcome.Done.all(), removed, added, refused);
    }

    /** Meta's upload session while a full upload runs; null for incremental changes. */
    private UploadSession session(Sync sync, int claimed) {
        Syncs.Progress progress = syncs.progress(sync.id());
        if (!progress.uploading()) {
            return null;
        }
        int batch = tx.inNew(() -> syncs.nextUploadBatch(sync.id()));
        boolean last = audiences.pending(sync.id()).count() <= claimed;
        return new UploadSession(progress.uploadStartedAt().toEpochMilli(), batch, last, progress.uploadTotal());
    }

    private void record(Sync sync, List<AudienceQueue.Claimed> claims, List<AudienceChange> changes, Attempt attempt) {
        Instant now = clock.instant();
        CallOutcome outcome = attempt.outcome();
        tx.runInNew(() -> {
            if (outcome instanceof CallOutcome.Unauthorized unauthorized) {
                audiences.record(sync.id(), List.of(), attempt.removed(), List.of());
                audiences.release(sync.id(), claims);
                syncs.pauseDestination(sync.destinationId(), unauthorized.reason());
                syncs.count(sync.id(), attempt.removed().size(), 0, unauthorized.reason(), now);
                LOG.warnf("sync %s paused: %s", sync.id(), unauthorized.reason());
                return;
            }
            if (outcome instanceof CallOutcome.Retry retry) {
                audiences.record(sync.id(), List.of(), attempt.removed(), List.of());
                int attempts = claims.stream().mapToInt(AudienceQueue.Claimed::attempts).max().orElse(0) + 1;
                RetryPolicy.Outcome next = BACKOFF.after(0, retry.retryAfter(), attempts, now, retry.error());
                Instant due = next instanceof RetryPolicy.Outcome.RetryAt at ? at.at() : now.plus(Duration.ofMinutes(5));
                audiences.retry(sync.id(), claims, due, retry.error());
                syncs.count(sync.id(), attempt.removed().size(), 0, retry.error(), now);
                LOG.infof("sync %s: %d people wait until %s (%s)", sync.id(), claims.size(), due, retry.error());
                return;
            }
            Map<String, String> refused = new LinkedHashMap<>(attempt.refused());
            String error = null;
            if (outcome instanceof CallOutcome.Rejected rejected) {
                error = rejected.error();
                for (AudienceChange c : changes) {
                    if (!c.nothing() && !attempt.removed().contains(c.profileId())) {
                        refused.putIfAbsent(c.profileId(), rejected.error());
                    }
                }
            } else if (!refused.isEmpty()) {
                error = refused.size() + " people refused by the destination, e.g. " + refused.values().iterator().next();
            }
            List<AudienceQueue.Claimed> done = new ArrayList<>();
            List<AudienceQueue.Claimed> again = new ArrayList<>();
            List<AudienceQueue.Claimed> giveUp = new ArrayList<>();
            for (AudienceQueue.Claimed claim : claims) {
                if (!refused.containsKey(claim.profileId())) {
                    done.add(claim);
                } else if (claim.attempts() + 1 >= MAX_REJECTIONS) {
                    giveUp.add(claim);
                } else {
                    again.add(claim);
                }
            }
            audiences.record(sync.id(), attempt.added(), attempt.removed(), done);
            if (!again.isEmpty()) {
                audiences.retry(sync.id(), again, now.plus(REFUSED_RETRY), error);
            }
            if (!giveUp.isEmpty()) {
                audiences.drop(sync.id(), giveUp);
            }
            syncs.count(sync.id(), attempt.added().size() + attempt.removed().size(), giveUp.size(), error, now);
        });
    }

    private void finishUploadIfDone(Sync sync, Instant now) {
        Syncs.Progress progress = syncs.progress(sync.id());
        if (progress.uploading() && audiences.pending(sync.id()).count() == 0) {
            tx.runInNew(() -> syncs.finishUpload(sync.id(), now));
        }
    }
}
