package io.satsuma.segment.domain;

import java.util.List;

/**
 * Why a condition holds or not for one profile at one instant: each node of the tree with what it
 * observed (a trait's value, an aggregate's value) and its result.
 */
public record Explanation(String node, String description, Object observed, boolean result,
                          List<Explanation> children) {
}
