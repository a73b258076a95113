package io.satsuma.segment.adapter.cache;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.satsuma.segment.domain.MembershipCache;
import io.satsuma.segment.domain.Memberships;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@link MembershipCache} in Redis. A profile's segments are one string {@code "<version>|id1,id2"}
 * under {@code satsuma:<workspace>:p:<profileId>}; a Lua script replaces it only with a higher
 * version. If Redis fails, reads report a miss (and are answered from PostgreSQL) and writes are
 * dropped: the cache is never the truth.
 */
@ApplicationScoped
class RedisMembershipCache implements MembershipCache {
    private static final Logger LOG = Logger.getLogger(RedisMembershipCache.class);
    private static final String SET_IF_NEWER = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local version = tonumber(string.match(current, '^(%d+)|'))
              if version and version >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
            return 1""";

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;

    RedisMembershipCache(RedisDataSource redis) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
    }

    @Override
    public Optional<Memberships.CurrentSegments> segmentsOf(String workspace, String profileId) {
        try {
            String cached = values.get(profileKey(workspace, profileId));
            if (cached == null) {
                return Optional.empty();
            }
            int bar = cached.indexOf('|');
            String ids = cached.substring(bar + 1);
            List<String> segmentIds = ids.isEmpty() ? List.of() : Arrays.asList(ids.split(","));
            return Optional.of(new Memberships.CurrentSegments(Long.parseLong(cached.substring(0, bar)), segmentIds));
        } catch (RuntimeException e) {
            LOG.warnf("Redis read failed, answering from PostgreSQL: %s", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void putSegments(String workspace, String profileId, long version, List<String> segmentIds) {
        try {
            redis.execute("EVAL", SET_IF_NEWER, "1", profileKey(workspace, profileId), Long.toString(version),
                    String.join(",", segmentIds));
        } catch (RuntimeException e) {
            LOG.warnf("Redis write failed, the cache will be refilled on read: %s", e.getMessage());
        }
    }

    @Override
    public Optional<String> profileOf(String workspace, String idType, String idValue) {
        try {
            return Optional.ofNullable(values.get(identifierKey(workspace, idType, idValue)));
        } catch (RuntimeException e) {
            LOG.warnf("Redis read failed, answering from PostgreSQL: %s", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void putIdentifier(String workspace, String idType, String idValue, String profileId) {
        try {
            values.set(identifierKey(workspace, idType, idValue), profileId);
        } catch (RuntimeException e) {
            LOG.warnf("Redis write failed: %s", e.getMessage());
        }
    }

    private static String profileKey(String workspace, String profileId) {
        return "satsuma:" + workspace + ":p:" + profileId;
    }

    private static String identifierKey(String workspace, String idType, String idValue) {
        return "satsuma:" + workspace + ":i:" + idType + ":" + idValue;
    }
}
