package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipChangeTest {
    @Test
    void entersWhenItStartsToMatchAndExitsWhenItStops() {
        assertThat(MembershipChange.decide("s", false, true)).isEqualTo(new MembershipChange.Entered("s"));
        assertThat(MembershipChange.decide("s", true, false)).isEqualTo(new MembershipChange.Exited("s"));
        assertThat(MembershipChange.decide("s", true, true)).isEqualTo(new MembershipChange.Unchanged("s"));
        assertThat(MembershipChange.decide("s", false, false)).isEqualTo(new MembershipChange.Unchanged("s"));
    }
}
