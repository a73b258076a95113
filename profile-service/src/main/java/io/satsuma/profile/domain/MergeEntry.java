package io.satsuma.profile.domain;

import java.time.Instant;

/**
 * One line of the merge journal: a merge that happened, or one the identity rules refused.
 *
 * @param outcome  {@code MERGED}, {@code REFUSED}, or {@code UNMERGED} (an operator undid a merge)
 * @param rule     why the profiles were linked (e.g. the identifier types they shared)
 * @param reason   for a refusal, which rule it would have broken; for an unmerge, the operator's reason
 */
public record MergeEntry(String survivorId, String absorbedId, String outcome, String rule, String reason,
                         String identifierType, String messageId, Instant at) {

    public static final String MERGED = "MERGED";
    public static final String REFUSED = "REFUSED";
    public static final String UNMERGED = "UNMERGED";
}
