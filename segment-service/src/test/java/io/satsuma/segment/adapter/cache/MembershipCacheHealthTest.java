package io.satsuma.segment.adapter.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipCacheHealthTest {

    @Test
    void readinessNamesTheRedisServerButNeverItsCredentials() {
        assertThat(MembershipCacheHealth.serverOf("redis://default:s3cret@cache.internal:6380/0")).isEqualTo("cache.internal:6380");
        assertThat(MembershipCacheHealth.serverOf("rediss://:s3cret@cache.internal")).isEqualTo("cache.internal:6379");
        assertThat(MembershipCacheHealth.serverOf("redis://a:1, redis://b:2")).isEqualTo("a:1");
        assertThat(MembershipCacheHealth.serverOf("not a url")).doesNotContain("not a url");
    }
}
