package io.satsuma.profile.domain;

import io.satsuma.contracts.profile.v1.Identifier;
import java.util.List;

/** What identity resolution decided for one event. */
public sealed interface Resolution {

    /** The profile the event belongs to after the decision is applied. */
    String profileId();

    /** Identifiers to attach to {@link #profileId()}. */
    List<Identifier> newIdentifiers();

    /** Links the rules forbade while deciding, to journal. */
    List<Refusal> refusals();

    /** No profile knew any of the event's identifiers: a new profile holds them all. */
    record Created(String profileId, List<Identifier> newIdentifiers, List<Refusal> refusals) implements Resolution {
        public Created(String profileId, List<Identifier> newIdentifiers) {
            this(profileId, newIdentifiers, List.of());
        }
    }

    /** The event belongs to one existing profile; identifiers it did not hold yet are attached. */
    record Attached(String profileId, List<Identifier> newIdentifiers, List<Refusal> refusals) implements Resolution {
    }

    /**
     * The event linked several profiles: {@code absorbed} merge into the survivor {@code profileId}
     * (the oldest), which then holds every identifier of all of them.
     */
    record Merged(String profileId, List<String> absorbed, List<Identifier> newIdentifiers, String rule,
                  List<Refusal> refusals) implements Resolution {
    }

    /** A link the rules forbade: recorded in the merge journal, never applied. */
    record Refusal(String profileId, String otherProfileId, Identifier identifier, String reason) {
    }
}
