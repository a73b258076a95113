package io.satsuma.insights.domain;

import java.time.Instant;

/**
 * One membership change of a profile in a segment, as segment-service numbered it ({@code sequence} grows per profile
 * and segment): intervals are paired by sequence, so late, repeated and reordered deliveries give the same intervals.
 */
public record MembershipRecord(String profileId, long sequence, boolean entered, Instant at, boolean holdout) {
}
