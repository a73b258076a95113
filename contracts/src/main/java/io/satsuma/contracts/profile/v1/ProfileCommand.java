package io.satsuma.contracts.profile.v1;

import java.time.Instant;

/**
 * What another service asks profile-service to record about a profile (ce_type {@code io.satsuma.profile.command.v1}
 * on {@code satsuma.events.v1}, keyed by the profile): a channel reported that the person revoked consent (an SMS
 * STOP), or that one of their contact points is dead (an unregistered push token). profile-service records it as an
 * event of the profile (so it survives merges, unmerges and refolds) and publishes the new snapshot. Idempotent on
 * {@code commandId}.
 *
 * @param kind       {@code REVOKE_CONSENT} (with {@code channel}) or {@code REMOVE_IDENTIFIER} (with {@code identifier})
 * @param channel    {@code email}, {@code sms}, {@code push} or {@code ads}
 * @param identifier the contact point to drop, e.g. {@code device_token}
 * @param reason     why, for the profile's history (no personal data)
 */
public record ProfileCommand(
        String commandId,
        String profileId,
        String kind,
        String channel,
        Identifier identifier,
        String reason,
        Instant at) {

    public static final String REVOKE_CONSENT = "REVOKE_CONSENT";
    public static final String REMOVE_IDENTIFIER = "REMOVE_IDENTIFIER";
}
