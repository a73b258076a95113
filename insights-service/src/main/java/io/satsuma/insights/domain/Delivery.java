package io.satsuma.insights.domain;

import java.time.Instant;

/** A sync reached a profile: an entry delivered (status SENT) to one of its destinations, once per delivery id. */
public record Delivery(String deliveryId, String syncId, String profileId, Instant at) {
}
