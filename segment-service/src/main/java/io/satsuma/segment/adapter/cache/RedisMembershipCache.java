package io.satsuma.segment.adapter.cache;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.satsuma.segment.domain.MembershipCache;
import io.satsuma.segment.domain.Memberships;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@link MembershipCache} in Redis. A profile's segments are one string {@code "<version>|id1,id2|heldOutIds"}
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

    /** The same rule for many keys: ARGV holds a (version, value) pair per key. */
    private static final String SET_ALL_IF_NEWER = """
            for i, key in ipairs(KEYS) do
              local version = tonumber(ARGV[2 * i - 1])
              local current = redis.call('GET', key)
              local known = current and tonumber(string.match(current, '^(%d+)|'))
              if not known or known < version then
                redis.call('SET', key, ARGV[2 * i - 1] .. '|' .. ARGV[2 * i])
              end
            end
            return 1""";
    private static final int BULK = 1_000;

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
            String[] parts = cached.split("\\|", -1);
            return Optional.of(new Memberships.CurrentSegments(Long.parseLong(parts[0]), ids(parts[1]),
                    parts.length > 2 ? ids(parts[2]) : List.of()));
        } catch (RuntimeException e) {
            LOG.warnf("Redis read failed, answering from PostgreSQL: %s", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void putSegments(String workspace, String profileId, Memberships.CurrentSegments segments) {
        try {
            redis.execute("EVAL", SET_IF_NEWER, "1", profileKey(workspace, profileId), Long.toString(segments.version()),
                    String.join(",", segments.segmentIds()) + "|" + String.join(",", segments.heldOutIds()));
        } catch (RuntimeException e) {
            LOG.warnf("Redis write failed, the cache will be refilled on read: %s", e.getMessage());
        }
    }

    @Override
    public void putAllSegments(String workspace, Map<String, Memberships.CurrentSegments> segments) {
        List<Map.Entry<String, Memberships.CurrentSegments>> entries = new ArrayList<>(segments.entrySet());
        for (int from = 0; from < entries.size(); from += BULK) {
            List<Map.Entry<String, Memberships.CurrentSegments>> chunk = entries.subList(from, Math.min(entries.size(), from + BULK));
            List<String> args = new ArrayList<>();
            args.add(SET_ALL_IF_NEWER);
            args.add(Integer.toString(chunk.size()));
            chunk.forEach(e -> args.add(profileKey(workspace, e.getKey())));
            chunk.forEach(e -> {
                args.add(Long.toString(e.getValue().version()));
                args.add(String.join(",", e.getValue().segmentIds()) + "|" + String.join(",", e.getValue().heldOutIds()));
            });
            try {
                redis.execute("EVAL", args.toArray(String[]::new));
            } catch (RuntimeException e) {
                LOG.warnf("Redis write failed, the cache will be refilled on read: %s", e.getMessage());
            }
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

    /** One MSET per thousand identifiers: a poll's new identifiers cost a round trip, not one each. */
    @Override
    public void putIdentifiers(String workspace, List<IdentifierOwner> owners) {
        for (int from = 0; from < owners.size(); from += BULK) {
            Map<String, String> chunk = new LinkedHashMap<>();
            owners.subList(from, Math.min(owners.size(), from + BULK))
                    .forEach(o -> chunk.put(identifierKey(workspace, o.idType(), o.idValue()), o.profileId()));
            try {
                values.mset(chunk);
            } catch (RuntimeException e) {
                LOG.warnf("Redis write failed: %s", e.getMessage());
            }
        }
    }

    @Override
    public void forgetIdentifier(String workspace, String idType, String idValue) {
        try {
            redis.key(String.class).del(identifierKey(workspace, idType, idValue));
        } catch (RuntimeException e) {
            LOG.warnf("Redis delete failed: %s", e.getMessage());
        }
    }

    private static List<String> ids(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static String profileKey(String workspace, String profileId) {
        return "satsuma:" + workspace + ":p:" + profileId;
    }

    private static String identifierKey(String workspace, String idType, String idValue) {
        return "satsuma:" + workspace + ":i:" + idType + ":" + idValue;
    }
}
