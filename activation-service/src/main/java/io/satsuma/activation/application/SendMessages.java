package io.satsuma.activation.application;

import io.micrometer.core.instrument.MeterRegistry;
import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.Contact;
import io.satsuma.activation.domain.Contacts;
import io.satsuma.activation.domain.Deliveries;
import io.satsuma.activation.domain.Delivery;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.MessageConnector;
import io.satsuma.activation.domain.QuietHours;
import io.satsuma.activation.domain.RetryPolicy;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.Syncs;
import io.satsuma.activation.domain.Target;
import io.satsuma.activation.domain.Throttle;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.delivery.v1.DeliveryCompleted;
import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileCommand;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One step of a message destination's lane: lease a few due deliveries, and for each decide at send time from
 * activation's projections whether it goes (consent, a contact point, quiet hours), render it, send it, and record
 * the outcome in its own short transaction (no HTTP inside one). A redelivered membership change was never planned
 * twice; a crash between the call and the record sends that one message again when its lease ends.
 *
 * <p>An SMS recipient who replied STOP (Twilio 21610) is recorded as having revoked SMS consent, here at once and in
 * profile-service through a {@link ProfileCommand}; a dead push token is dropped the same way. Neither is retried.
 */
@ApplicationScoped
public class SendMessages {
    private static final Logger LOG = Logger.getLogger(SendMessages.class);
    /** How long a message waits for the person's contact points to reach activation's projection. */
    static final Duration CONTACT_WAIT = Duration.ofMinutes(10);
    private static final Duration PAUSED_RECHECK = Duration.ofSeconds(30);
    private static final int BATCH = 20;

    private final Syncs syncs;
    private final Deliveries deliveries;
    private final Contacts contacts;
    private final Connectors connectors;
    private final DestinationSecrets secrets;
    private final Reach reach;
    private final Throttle throttle;
    private final Transactions tx;
    private final Outbox outbox;
    private final LaneLeases leases;
    private final MeterRegistry meters;
    private final Traces traces;
    private final Clock clock;
    private final RetryPolicy retryPolicy = RetryPolicy.defaults();

    SendMessages(Syncs syncs, Deliveries deliveries, Contacts contacts, Connectors connectors, DestinationSecrets secrets,
                 Reach reach, Throttle throttle, Transactions tx, Outbox outbox, LaneLeases leases, Clock clock,
                 MeterRegistry meters, Traces traces) {
        this.meters = meters;
        this.traces = traces;
        this.leases = leases;
        this.syncs = syncs;
        this.deliveries = deliveries;
        this.contacts = contacts;
        this.connectors = connectors;
        this.secrets = secrets;
        this.reach = reach;
        this.throttle = throttle;
        this.tx = tx;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Sends one batch of the destination's due deliveries; returns how many were leased. */
    public int step(Destination destination) throws InterruptedException {
        Instant now = clock.instant();
        List<Delivery> due = tx.inNew(() -> deliveries.claim(destination.id(), now, BATCH, leases.until(now),
                leases.owner()));
        if (due.isEmpty()) {
            return 0;
        }
        Target target = secrets.target(destination);
        MessageConnector connector = connectors.message(destination.type());
        Map<String, Sync> syncsById = new HashMap<>();
        for (Delivery d : due) {
            Sync sync = syncsById.computeIfAbsent(d.syncId(), id -> syncs.byId(id).orElseThrow());
            if (sync.paused()) {
                tx.runInNew(() -> deliveries.postpone(d.id(), clock.instant().plus(PAUSED_RECHECK), "sync paused"));
                continue;
            }
            // In the trace of the membership change the delivery carries.
            try (Traces.Resumed span = traces.resume(d.traceParent(), "deliver " + destination.type())) {
                deliver(destination, target, connector, sync, d);
            }
        }
        return due.size();
    }

    private void deliver(Destination destination, Target target, MessageConnector connector, Sync sync, Delivery d)
            throws InterruptedException {
        Instant now = clock.instant();
        Contact contact = contacts.find(d.workspace(), List.of(d.profileId())).get(d.profileId());
        if (contact == null && destination.type() != DestinationType.WEBHOOK
                && now.isBefore(d.changedAt().plus(CONTACT_WAIT))) {
            tx.runInNew(() -> deliveries.postpone(d.id(), now.plusSeconds(2), "waiting for the profile's contact points"));
            return;
        }
        Reach.Message message = reach.message(sync, destination, d, contact);
        if (message.message() == null) {
            tx.runInNew(() -> deliveries.markSkipped(d.id(), now, message.whyNot()));
            return;
        }
        QuietHours quiet = sync.settings().quietHours();
        if (quiet != null && contact != null) {
            Instant allowed = quiet.nextAllowed(now, contact);
            if (allowed.isAfter(now)) {
                tx.runInNew(() -> deliveries.postpone(d.id(), allowed, "quiet hours until " + allowed));
                return;
            }
        }
        int attempts = d.attempts() + 1;
        int sent = 0;
        CallOutcome last = null;
        for (String recipient : message.recipients()) {
            throttle.acquire(destination);
            CallOutcome outcome = connector.send(target, message.message(), recipient);
            if (outcome instanceof CallOutcome.Done) {
                sent++;
                continue;
            }
            if (outcome instanceof CallOutcome.DeadContact dead) {
                tx.runInNew(() -> dropToken(d, recipient, dead.error()));
                last = last == null ? outcome : last;
                continue;
            }
            last = outcome;
            if (!(outcome instanceof CallOutcome.Rejected)) {
                break;
            }
        }
        CallOutcome result = sent > 0 ? CallOutcome.Done.all() : last;
        record(sync, d, attempts, result);
    }

    private void record(Sync sync, Delivery d, int attempts, CallOutcome outcome) {
        Instant now = clock.instant();
        tx.runInNew(() -> {
            if (outcome instanceof CallOutcome.Done) {
                deliveries.markSent(d.id(), attempts, now);
                publish(d, DeliveryCompleted.SENT, attempts, null, now);
            } else if (outcome instanceof CallOutcome.Retry retry) {
                RetryPolicy.Outcome next = retryPolicy.after(0, retry.retryAfter(), attempts, now, retry.error());
                if (next instanceof RetryPolicy.Outcome.RetryAt at) {
                    deliveries.markRetry(d.id(), attempts, at.at(), retry.error());
                } else {
                    fail(d, attempts, retry.error(), now);
                }
            } else if (outcome instanceof CallOutcome.Unauthorized unauthorized) {
                syncs.pauseDestination(sync.destinationId(), unauthorized.reason());
                deliveries.postpone(d.id(), now.plus(PAUSED_RECHECK), "sync paused: " + unauthorized.reason());
                LOG.warnf("destination %s refused its credentials; its syncs are paused: %s", sync.destinationId(),
                        unauthorized.reason());
            } else if (outcome instanceof CallOutcome.OptedOut optedOut) {
                revokeConsent(d, sync, optedOut.error(), now);
                fail(d, attempts, optedOut.error(), now);
            } else if (outcome instanceof CallOutcome.DeadContact dead) {
                fail(d, attempts, "every device token is dead: " + dead.error(), now);
            } else if (outcome instanceof CallOutcome.Rejected rejected) {
                fail(d, attempts, rejected.error(), now);
            }
        });
    }

    private void fail(Delivery d, int attempts, String error, Instant now) {
        deliveries.markFailed(d.id(), attempts, now, error);
        publish(d, DeliveryCompleted.FAILED, attempts, error, now);
        LOG.warnf("delivery %d to destination %s failed for good after %d attempt(s): %s", d.id(), d.destinationId(),
                attempts, error);
    }

    /** STOP: no SMS to this person again until they opt back in. */
    private void revokeConsent(Delivery d, Sync sync, String why, Instant now) {
        String channel = "sms";
        contacts.revokeConsent(d.workspace(), d.profileId(), channel);
        outbox.append(Topic.EVENTS.topicName(), d.profileId(), CloudEvents.TYPE_PROFILE_COMMAND, d.workspace(), now,
                new ProfileCommand("revoke-" + d.id(), d.profileId(), ProfileCommand.REVOKE_CONSENT, channel, null,
                        "sync " + sync.id() + ": " + why, now));
    }

    private void dropToken(Delivery d, String token, String why) {
        Instant now = clock.instant();
        contacts.dropPushToken(d.workspace(), d.profileId(), token);
        outbox.append(Topic.EVENTS.topicName(), d.profileId(), CloudEvents.TYPE_PROFILE_COMMAND, d.workspace(), now,
                new ProfileCommand("token-" + d.id() + "-" + Integer.toHexString(token.hashCode()), d.profileId(),
                        ProfileCommand.REMOVE_IDENTIFIER, "push", new Identifier("device_token", token),
                        "push channel reported the token dead: " + why, now));
    }

    private void publish(Delivery d, String status, int attempts, String error, Instant now) {
        meters.counter("satsuma.deliveries", "destination", d.destinationId(), "outcome", status).increment();
        outbox.append(Topic.DELIVERIES.topicName(), d.profileId(), CloudEvents.TYPE_DELIVERY_COMPLETED, d.workspace(), now,
                new DeliveryCompleted(Long.toString(d.id()), d.syncId(), d.destinationId(), d.segmentId(), d.profileId(),
                        d.change(), status, attempts, error, now));
    }
}
