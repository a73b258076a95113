package io.satsuma.activation.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What a sync does with its segment: keep the destination's list equal to the consented members ({@code MIRROR},
 * audience destinations), or send one message per entry ({@code ON_ENTER}) or per entry and exit
 * ({@code ON_ENTER_AND_EXIT}) (message destinations).
 */
public enum SyncMode {
    MIRROR, ON_ENTER, ON_ENTER_AND_EXIT;

    public static Optional<SyncMode> of(String name) {
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The mode a sync gets when none is asked for. */
    public static SyncMode defaultFor(DestinationType type) {
        if (type.isAudience()) {
            return MIRROR;
        }
        return type == DestinationType.WEBHOOK ? ON_ENTER_AND_EXIT : ON_ENTER;
    }

    public boolean sends(String change) {
        return this == ON_ENTER_AND_EXIT || "ENTERED".equals(change);
    }
}
