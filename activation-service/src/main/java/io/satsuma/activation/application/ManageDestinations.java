package io.satsuma.activation.application;

import io.satsuma.activation.domain.CallOutcome;
import io.satsuma.activation.domain.Destination;
import io.satsuma.activation.domain.DestinationAddresses;
import io.satsuma.activation.domain.DestinationSettings;
import io.satsuma.activation.domain.DestinationType;
import io.satsuma.activation.domain.Destinations;
import io.satsuma.activation.domain.Syncs;
import io.satsuma.activation.domain.Target;
import io.satsuma.activation.domain.Violation;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Destinations of a workspace: typed configuration checked on save, secrets encrypted, credentials testable. */
@ApplicationScoped
public class ManageDestinations {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Destinations destinations;
    private final Syncs syncs;
    private final DestinationSecrets secrets;
    private final Connectors connectors;
    private final DestinationAddresses addresses;
    private final Clock clock;

    ManageDestinations(Destinations destinations, Syncs syncs, DestinationSecrets secrets, Connectors connectors,
                       DestinationAddresses addresses, Clock clock) {
        this.destinations = destinations;
        this.syncs = syncs;
        this.secrets = secrets;
        this.connectors = connectors;
        this.addresses = addresses;
        this.clock = clock;
    }

    /** A new destination, and the webhook signing secret when Satsuma generated it (shown this once). */
    public record Created(Destination destination, String generatedSecret) {
    }

    @Transactional
    public Created create(String workspace, String name, String typeId, Map<String, String> config,
                          Map<String, String> givenSecrets) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(new FieldError("/name", "required, 1 to 200 characters"));
        }
        DestinationType type = DestinationType.of(typeId).orElse(null);
        if (type == null) {
            errors.add(new FieldError("/type", "one of " + DestinationType.ids()));
            throw new InvalidInput("the destination is invalid; nothing was saved", errors);
        }
        Map<String, String> plain = config == null ? Map.of() : config;
        Map<String, String> secret = new LinkedHashMap<>(givenSecrets == null ? Map.of() : givenSecrets);
        String generated = null;
        if (type == DestinationType.WEBHOOK && secret.get("signingSecret") == null) {
            generated = generateSecret();
            secret.put("signingSecret", generated);
        }
        for (Violation v : DestinationSettings.validate(type, plain, secret)) {
            errors.add(new FieldError(v.pointer(), v.message()));
        }
        if (errors.isEmpty()) {
            for (String urlField : List.of("url", "baseUrl", "tokenUrl")) {
                String url = plain.get(urlField);
                if (url != null) {
                    refusal(url).ifPresent(reason -> errors.add(new FieldError("/config/" + urlField, reason)));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("the destination is invalid; nothing was saved", errors);
        }
        Destination destination = new Destination(UUID.randomUUID().toString(), workspace, name.strip(), type, plain,
                clock.instant());
        destinations.add(destination, secrets.encrypt(secret));
        return new Created(destination, generated);
    }

    private Optional<String> refusal(String url) {
        try {
            return addresses.refusal(URI.create(url));
        } catch (IllegalArgumentException e) {
            return Optional.of("not a valid URL");
        }
    }

    public List<Destination> list(String workspace) {
        return destinations.list(workspace);
    }

    public Destination get(String workspace, String destinationId) {
        return destinations.find(workspace, destinationId)
                .orElseThrow(() -> new NotFound("no destination " + destinationId + " in this workspace"));
    }

    /**
     * Replaces the destination's secrets (all of them) and resumes the syncs its old credentials had paused.
     * Returns how many syncs resumed.
     */
    @Transactional
    public int replaceSecrets(String workspace, String destinationId, Map<String, String> newSecrets) {
        Destination destination = get(workspace, destinationId);
        Map<String, String> secret = newSecrets == null ? Map.of() : newSecrets;
        List<FieldError> errors = DestinationSettings.validate(destination.type(), destination.config(), secret).stream()
                .filter(v -> v.pointer().startsWith("/secrets/"))
                .map(v -> new FieldError(v.pointer(), v.message())).toList();
        if (!errors.isEmpty()) {
            throw new InvalidInput("the secrets are invalid; nothing was changed", errors);
        }
        destinations.replaceSecrets(destinationId, secrets.encrypt(secret));
        return syncs.resume(destinationId, null);
    }

    /** What a test call to the destination found. */
    public record TestResult(boolean ok, String outcome, String detail) {
    }

    /** A harmless call with the destination's credentials (reads the audience, list or account; webhooks get a ping). */
    public TestResult test(String workspace, String destinationId) {
        Destination destination = get(workspace, destinationId);
        Target target = secrets.target(destination);
        CallOutcome outcome = destination.type().isAudience()
                ? connectors.audience(destination.type()).test(target)
                : connectors.message(destination.type()).test(target);
        if (outcome instanceof CallOutcome.Done) {
            return new TestResult(true, "OK", "the destination accepted the credentials");
        }
        if (outcome instanceof CallOutcome.Unauthorized u) {
            return new TestResult(false, "UNAUTHORIZED", u.reason());
        }
        if (outcome instanceof CallOutcome.Retry r) {
            return new TestResult(false, "UNAVAILABLE", r.error());
        }
        if (outcome instanceof CallOutcome.Rejected r) {
            return new TestResult(false, "REJECTED", r.error());
        }
        return new TestResult(false, "FAILED", outcome.toString());
    }

    private static String generateSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
