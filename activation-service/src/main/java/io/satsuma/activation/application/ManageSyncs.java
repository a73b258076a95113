package io.satsuma.activation.application;

import io.satsuma.activation.domain.ActivationStore;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.SecretBox;
import io.satsuma.activation.domain.Sync;
import io.satsuma.activation.domain.SyncStatus;
import io.satsuma.support.failure.Conflict;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Destinations and syncs of a workspace. */
@ApplicationScoped
public class ManageSyncs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ActivationStore store;
    private final SecretBox secrets;
    private final Clock clock;

    ManageSyncs(ActivationStore store, SecretBox secrets, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** A new destination and its signing secret, shown this once. */
    public record CreatedDestination(Destination destination, String secret) {
    }

    @Transactional
    public CreatedDestination createWebhook(String workspace, String name, String url, String secret) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(new FieldError("/name", "required, 1 to 200 characters"));
        }
        if (!isHttpUrl(url)) {
            errors.add(new FieldError("/url", "must be an absolute http(s) URL"));
        }
        if (secret != null && secret.length() < 16) {
            errors.add(new FieldError("/secret", "must be at least 16 characters (or omitted to generate one)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("the destination is invalid; nothing was saved", errors);
        }
        String signingSecret = secret != null ? secret : generateSecret();
        Destination destination = new Destination(UUID.randomUUID().toString(), workspace, name.strip(),
                Destination.WEBHOOK, url, clock.instant());
        store.addDestination(destination, secrets.encrypt(signingSecret));
        return new CreatedDestination(destination, signingSecret);
    }

    public List<Destination> destinations(String workspace) {
        return store.destinations(workspace);
    }

    @Transactional
    public Sync createSync(String workspace, String segmentId, String destinationId) {
        if (segmentId == null || segmentId.isBlank()) {
            throw new InvalidInput("a sync needs a segment",
                    List.of(new FieldError("/segmentId", "required")));
        }
        store.destination(workspace, destinationId).orElseThrow(() -> new InvalidInput(
                "no destination " + destinationId + " in this workspace",
                List.of(new FieldError("/destinationId", "unknown destination"))));
        if (store.syncsOfSegment(workspace, segmentId).stream().anyMatch(s -> s.destinationId().equals(destinationId))) {
            throw new Conflict("this segment already syncs to this destination");
        }
        Sync sync = new Sync(UUID.randomUUID().toString(), workspace, segmentId, destinationId, clock.instant());
        store.addSync(sync);
        return sync;
    }

    public List<Sync> syncs(String workspace) {
        return store.syncs(workspace);
    }

    /**
     * Sends the sync's dead-lettered deliveries again, in their original order per profile (receivers deduplicate
     * on the unchanged delivery id). Replaying twice requeues only what failed again. Returns how many.
     */
    @Transactional
    public int replayFailed(String workspace, String syncId) {
        store.sync(workspace, syncId).orElseThrow(() -> new NotFound("no sync " + syncId + " in this workspace"));
        return store.requeueFailed(workspace, syncId, clock.instant());
    }

    public SyncStatus status(String workspace, String syncId) {
        store.sync(workspace, syncId).orElseThrow(() -> new NotFound("no sync " + syncId + " in this workspace"));
        return store.status(workspace, syncId);
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String generateSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
