package io.satsuma.activation.domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** activation-service's projection of profiles' contact points, consent and traits. */
public interface Contacts {

    /**
     * Stores each contact whose version is above the stored one. Returns the profile ids whose reach changed: status,
     * identifiers, consent, push tokens or traits differ from what was stored (a new contact counts).
     */
    List<String> apply(String workspace, List<Contact> contacts);

    Map<String, Contact> find(String workspace, Collection<String> profileIds);

    /** GDPR: keeps only the id, marked erased, so a late snapshot cannot bring the data back. */
    void erase(String workspace, String profileId, long version);

    /** What a channel just reported, applied at once (profile-service records it too and will send a new snapshot). */
    void revokeConsent(String workspace, String profileId, String channel);

    void dropPushToken(String workspace, String profileId, String token);
}
