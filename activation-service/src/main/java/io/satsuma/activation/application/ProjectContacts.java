package io.satsuma.activation.application;

import io.satsuma.activation.domain.AudienceQueue;
import io.satsuma.activation.domain.Contact;
import io.satsuma.activation.domain.Contacts;
import io.satsuma.activation.domain.DestinationType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps activation's copy of each profile's contact points, consent and traits from {@code satsuma.profiles.v1}.
 * When what decides how a person is reached changes (an address, a consent, a merge), every audience that holds them
 * or whose segment has them is reconciled again; a revoked consent removes them within the audience linger.
 */
@ApplicationScoped
public class ProjectContacts {
    private final Contacts contacts;
    private final AudienceQueue audiences;
    private final ForgetPeople forget;
    private final Clock clock;

    ProjectContacts(Contacts contacts, AudienceQueue audiences, ForgetPeople forget, Clock clock) {
        this.contacts = contacts;
        this.audiences = audiences;
        this.forget = forget;
        this.clock = clock;
    }

    /** A snapshot's contact, or an erasure (the topic's tombstone) when {@code contact} is null. */
    public record Update(String workspace, String profileId, Contact contact) {
    }

    @Transactional
    public void apply(List<Update> updates) {
        Map<String, List<Contact>> byWorkspace = new LinkedHashMap<>();
        for (Update u : updates) {
            if (u.contact() == null) {
                forget.forgetOne(u.workspace(), u.profileId());
            } else {
                byWorkspace.computeIfAbsent(u.workspace(), w -> new ArrayList<>()).add(u.contact());
            }
        }
        Instant due = clock.instant().plus(DestinationType.AUDIENCE_LINGER);
        byWorkspace.forEach((workspace, batch) -> {
            List<String> changed = contacts.apply(workspace, latestPerProfile(batch));
            if (!changed.isEmpty()) {
                audiences.markWherever(workspace, changed, due);
            }
        });
    }

    /** A poll may carry several snapshots of one profile: only the latest counts. */
    private static List<Contact> latestPerProfile(List<Contact> batch) {
        Map<String, Contact> latest = new LinkedHashMap<>();
        for (Contact c : batch) {
            latest.merge(c.profileId(), c, (a, b) -> a.version() >= b.version() ? a : b);
        }
        return List.copyOf(latest.values());
    }
}
