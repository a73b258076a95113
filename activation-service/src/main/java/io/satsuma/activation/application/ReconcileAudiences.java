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
import jakarta.annotation.PreDestroy;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * One step of an audience destination's lane. The lane holds the sync's lease, so it alone works this audience, in
 * order. A step either reconciles the people marked by changes (entries, exits, consent, erasure), up to a vendor
 * batch, or, when none are due, walks the next pages of a full upload (a new sync, or a resync) by profile id.
 * For each person it decides what the destination must hold (a consenting, reachable member of the segment, or
 * nobody) against the ledger, sends the removals then the additions, and records what the destination confirmed.
 * No transaction spans an HTTP call. An upload overlaps each page's call with reading and deciding the next page.
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
    /** An upload keeps its lane this long before letting fresh changes through. */
    private static final Duration UPLOAD_SLICE = Duration.ofSeconds(10);
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
    private final LaneLeases leases;
    private final Clock clock;
    /** Runs an upload page's vendor call while the lane prepares the next page. */
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "activation-upload-call");
        thread.setDaemon(true);
        return thread;
    });

    ReconcileAudiences(Syncs syncs, AudienceQueue audiences, Contacts contacts, SegmentMembers members,
                       Connectors connectors, DestinationSecrets secrets, Reach reach, Throttle throttle,
                       Transactions tx, LaneLeases leases, Clock clock) {
        this.syncs = syncs;
        this.audiences = audiences;
        this.contacts = contacts;
        this.members = members;
        this.connectors = connectors;
        this.secrets = secrets;
        this.reach = reach;
        this.throttle = throttle;
        this.tx = tx;
        this.leases = leases;
        this.clock = clock;
    }

    @PreDestroy
    void stop() {
        calls.shutdownNow();
    }

    /** What a step did: how many people it handled (0: nothing was due), and whether the sync is paused. */
    public record Step(int handled, boolean paused) {
        static final Step IDLE = new Step(0, false);
    }

    public Step step(Destination destination) throws InterruptedException {
        Optional<Sync> found = syncs.ofDestination(destination.id()).stream().findFirst();
        if (found.isEmpty() || found.get().paused()) {
            return new Step(0, found.isPresent());
        }
        Sync sync = found.get();
        Instant now = clock.instant();
        if (!tx.inNew(() -> syncs.lease(sync.id(), leases.owner(), leases.until(now)))) {
            return Step.IDLE; // another instance works this audience
        }
        List<AudienceQueue.Claimed> due = audiences.due(sync.id(), now, destination.type().maxBatch());
        if (!due.isEmpty()) {
            Batch batch = prepare(sync, destination.type(), due.stream().map(AudienceQueue.Claimed::profileId).toList());
            Attempt attempt = send(destination, sync, batch, null);
            recordChanges(sync, due, batch, attempt);
            return new Step(due.size(), attempt.outcome() instanceof CallOutcome.Unauthorized);
        }
        Syncs.Progress progress = syncs.progress(sync.id());
        if (progress.uploading()) {
            return upload(destination, sync, progress);
        }
        tx.runInNew(() -> syncs.releaseLease(sync.id(), leases.owner()));
        return Step.IDLE;
    }

    /** A batch of people with what each needs, and the addresses to unsubscribe (Klaviyo, revoked email consent). */
    private record Batch(List<String> ids, List<AudienceChange> changes, List<String> unsubscribe) {
    }

    /** Reads what the projections say of these people, then decides. */
    private Batch prepare(Sync sync, DestinationType type, List<String> ids) {
        Map<String, Contact> contactsById = contacts.find(sync.workspace(), ids);
        Map<String, Boolean> reachable = members.reachable(sync.workspace(), sync.segmentId(), ids);
        Map<String, LedgerEntry> ledger = audiences.ledger(sync.id(), ids);
        return decide(sync, type, ids.stream().map(id -> new AudienceQueue.Candidate(id, contactsById.get(id),
                reachable.getOrDefault(id, false), ledger.get(id))).toList());
    }

    /** Decides each person's change against the ledger. */
    private Batch decide(Sync sync, DestinationType type, List<AudienceQueue.Candidate> people) {
        List<String> ids = new ArrayList<>(people.size());
        List<AudienceChange> changes = new ArrayList<>(people.size());
        List<String> unsubscribe = new ArrayList<>();
        for (AudienceQueue.Candidate person : people) {
            Contact contact = person.contact();
            Reach.Audience want = reach.audience(sync, type, contact, person.reachable());
            AudienceChange change = AudienceChange.between(person.profileId(), Optional.ofNullable(want.member()),
                    Optional.ofNullable(person.held()));
            ids.add(person.profileId());
            changes.add(change);
            if (change.remove() != null && change.add() == null && sync.settings().subscribe() && contact != null
                    && contact.active() && Boolean.FALSE.equals(contact.consent().get("email"))) {
                contact.first("email").ifPresent(unsubscribe::add);
            }
        }
        return new Batch(ids, changes, unsubscribe);
    }

    /** The outcome of a batch's calls: the first that was not {@code Done} stops the batch. */
    private record Attempt(CallOutcome outcome, List<String> removed, List<AudienceMember> added, Map<String, String> refused) {
    }

    private Attempt send(Destination destination, Sync sync, Batch batch, UploadSession session) throws InterruptedException {
        AudienceConnector connector = connectors.audience(destination.type());
        List<LedgerEntry> removals = batch.changes().stream().map(AudienceChange::remove).filter(r -> r != null).toList();
        List<AudienceMember> additions = batch.changes().stream().map(AudienceChange::add).filter(a -> a != null).toList();
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
            if (!batch.unsubscribe().isEmpty()) {
                throttle.acquire(destination);
                connector.subscription(target, sync, batch.unsubscribe(), false);
            }
        }
        List<AudienceMember> added = new ArrayList<>();
        if (!additions.isEmpty()) {
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

    /** Records the reconciliation of marked people: the ledger, the marks, retries, the counters. */
    private void recordChanges(Sync sync, List<AudienceQueue.Claimed> claims, Batch batch, Attempt attempt) {
        Instant now = clock.instant();
        CallOutcome outcome = attempt.outcome();
        tx.runInNew(() -> {
            if (outcome instanceof CallOutcome.Unauthorized unauthorized) {
                pause(sync, attempt, unauthorized, now);
                return;
            }
            if (outcome instanceof CallOutcome.Retry retry) {
                audiences.record(sync.id(), List.of(), attempt.removed(), List.of());
                int attempts = claims.stream().mapToInt(AudienceQueue.Claimed::attempts).max().orElse(0) + 1;
                Instant due = backoff(retry, attempts, now);
                audiences.retry(sync.id(), claims, due, retry.error());
                syncs.count(sync.id(), attempt.removed().size(), 0, retry.error(), now);
                LOG.infof("sync %s: %d people wait until %s (%s)", sync.id(), claims.size(), due, retry.error());
                return;
            }
            Map<String, String> refused = refused(batch, attempt);
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
            String error = error(outcome, refused);
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

    /**
     * Walks the upload's next pages for up to {@link #UPLOAD_SLICE}, in two stages: while page N's vendor call runs
     * and its record commits (beside the lane), page N+1 is read and decided. Page N+1 goes out once page N is
     * recorded, so the vendor sees the batches in order and a crash re-sends at most the page in flight (the cursor
     * moves with each record; vendors' adds and removes are idempotent). A page that fails is handed to the
     * marked-people queue (with its backoff) and the walk goes on; a refusal of the credentials stops it. (A third
     * stage, recording page N while page N+1's call runs, measured slower on two cores: the work is CPU-bound.)
     */
    private Step upload(Destination destination, Sync sync, Syncs.Progress progress) throws InterruptedException {
        int pageSize = destination.type().maxBatch();
        long until = System.nanoTime() + UPLOAD_SLICE.toNanos();
        Page page = page(sync, destination.type(), progress.uploadPhase(), progress.uploadCursor(), pageSize);
        int handled = 0;
        int batchSeq = progress.uploadBatches();
        while (page != null) {
            Page current = page;
            UploadSession session = new UploadSession(progress.uploadStartedAt().toEpochMilli(), ++batchSeq,
                    current.next() == null, Math.max(progress.uploadTotal(), 1));
            Future<CallOutcome> sent = calls.submit(() -> {
                Attempt attempt = send(destination, sync, current.batch(), session);
                recordPage(sync, current, attempt);
                return attempt.outcome();
            });
            handled += current.batch().ids().size();
            page = current.next() == null || System.nanoTime() > until ? null
                    : page(sync, destination.type(), current.next().phase(), current.next().cursor(), pageSize);
            if (await(sent) instanceof CallOutcome.Unauthorized) {
                return new Step(handled, true);
            }
        }
        return new Step(Math.max(handled, 1), false);
    }

    /** Where an upload goes after a page: the phase and the last profile id done; null when the upload is finished. */
    private record Position(Syncs.UploadPhase phase, String cursor) {
    }

    private record Page(Batch batch, Syncs.UploadPhase phase, String cursor, Position next) {
    }

    /** Reads and decides the upload's page after {@code cursor}; moves to the ledger phase when members run out. */
    private Page page(Sync sync, DestinationType type, Syncs.UploadPhase phase, String cursor, int size) {
        Syncs.UploadPhase current = phase;
        String after = cursor;
        while (true) {
            boolean ledger = current == Syncs.UploadPhase.LEDGER;
            List<AudienceQueue.Candidate> found = ledger ? audiences.ledgerOnlyAfter(sync, after, size + 1)
                    : audiences.membersAfter(sync, after, size + 1);
            boolean more = found.size() > size;
            List<AudienceQueue.Candidate> people = more ? found.subList(0, size) : found;
            String last = people.isEmpty() ? null : people.get(people.size() - 1).profileId();
            Position next = more ? new Position(current, last)
                    : current == Syncs.UploadPhase.MEMBERS_THEN_LEDGER ? new Position(Syncs.UploadPhase.LEDGER, null) : null;
            if (people.isEmpty()) {
                if (next == null) {
                    return new Page(new Batch(List.of(), List.of(), List.of()), current, after, null);
                }
                current = next.phase();
                after = null;
                continue;
            }
            return new Page(decide(sync, type, people), current, last, next);
        }
    }

    /** Records an upload page and moves the upload past it in the same transaction. */
    private void recordPage(Sync sync, Page page, Attempt attempt) {
        Instant now = clock.instant();
        CallOutcome outcome = attempt.outcome();
        List<String> ids = page.batch().ids();
        Position next = page.next();
        tx.runInNew(() -> {
            if (outcome instanceof CallOutcome.Unauthorized unauthorized) {
                pause(sync, attempt, unauthorized, now);
                return; // the page is walked again on resume
            }
            long sent = attempt.added().size() + attempt.removed().size();
            String error = null;
            if (outcome instanceof CallOutcome.Retry retry) {
                audiences.markFailed(sync.id(), ids.stream().filter(id -> !attempt.removed().contains(id)).toList(),
                        backoff(retry, 1, now), retry.error());
                error = retry.error();
            } else {
                Map<String, String> refused = refused(page.batch(), attempt);
                if (!refused.isEmpty()) {
                    audiences.markFailed(sync.id(), refused.keySet(), now.plus(REFUSED_RETRY), error(outcome, refused));
                }
                error = error(outcome, refused);
            }
            audiences.record(sync.id(), attempt.added(), attempt.removed(), List.of());
            syncs.advanceUpload(sync.id(), next == null ? null : next.phase(), next == null ? null : next.cursor(), ids.size());
            syncs.count(sync.id(), sent, 0, error, now);
        });
    }

    private void pause(Sync sync, Attempt attempt, CallOutcome.Unauthorized unauthorized, Instant now) {
        audiences.record(sync.id(), List.of(), attempt.removed(), List.of());
        syncs.releaseLease(sync.id(), leases.owner());
        syncs.pauseDestination(sync.destinationId(), unauthorized.reason());
        syncs.count(sync.id(), attempt.removed().size(), 0, unauthorized.reason(), now);
        LOG.warnf("sync %s paused: %s", sync.id(), unauthorized.reason());
    }

    /** Everyone the vendor refused: one by one, or all of a batch it rejected (but those already removed). */
    private static Map<String, String> refused(Batch batch, Attempt attempt) {
        Map<String, String> refused = new LinkedHashMap<>(attempt.refused());
        if (attempt.outcome() instanceof CallOutcome.Rejected rejected) {
            for (AudienceChange c : batch.changes()) {
                if (!c.nothing() && !attempt.removed().contains(c.profileId())) {
                    refused.putIfAbsent(c.profileId(), rejected.error());
                }
            }
        }
        return refused;
    }

    private static String error(CallOutcome outcome, Map<String, String> refused) {
        if (outcome instanceof CallOutcome.Rejected rejected) {
            return rejected.error();
        }
        return refused.isEmpty() ? null
                : refused.size() + " people refused by the destination, e.g. " + refused.values().iterator().next();
    }

    private static Instant backoff(CallOutcome.Retry retry, int attempts, Instant now) {
        RetryPolicy.Outcome next = BACKOFF.after(0, retry.retryAfter(), attempts, now, retry.error());
        return next instanceof RetryPolicy.Outcome.RetryAt at ? at.at() : now.plus(Duration.ofMinutes(5));
    }

    private static <T> T await(Future<T> call) throws InterruptedException {
        try {
            return call.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }
}
