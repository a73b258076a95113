/**
 * How use cases say no, without knowing about HTTP: {@link io.satsuma.support.failure.InvalidInput},
 * {@link io.satsuma.support.failure.NotFound} and {@link io.satsuma.support.failure.Conflict}. Plain Java;
 * {@code ProblemMappers} turns them into {@code application/problem+json}.
 */
package io.satsuma.support.failure;
