package io.satsuma.segment.adapter.cache;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.satsuma.segment.domain.MembershipCache;
import io.satsuma.segment.domain.Memberships;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@link MembershipCache} in Redis. A profile's segments are one string {@code "<version>|id1,id2|heldOutIds"} under
 * {@code satsuma:<epoch>:<workspace>:p:<profileId>}, an identifier's profile under
 * {@code satsuma:<epoch>:<workspace>:i:<SHA-256 of type and value>} (no raw identifier in a key name); a Lua script
 * replaces a profile's entry only with a higher version; every entry expires after a day. The cache is never the
 * truth: while Redis fails, and until every write it did not confirm has been followed by a new epoch
 * ({@link CacheCircuit}, ADR 017), reads are misses (answered from PostgreSQL) and writes are skipped.
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
            redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
            return 1""";

    /** The same rule for many keys: ARGV holds the TTL, then a (version, value) pair per key. */
    private static final String SET_ALL_IF_NEWER = """
            for i, key in ipairs(KEYS) do
              local version = tonumber(ARGV[2 * i])
              local current = redis.call('GET', key)
              local known = current and tonumber(string.match(current, '^(%d+)|'))
              if not known or known < version then
                redis.call('SET', key, ARGV[2 * i] .. '|' .. ARGV[2 * i + 1], 'EX', ARGV[1])
              end
            end
            return 1""";
    /** Identifiers: ARGV holds the TTL, then a value per key. */
    private static final String SET_ALL = """
            for i, key in ipairs(KEYS) do
              redis.call('SET', key, ARGV[i + 1], 'EX', ARGV[1])
            end
            return 1""";
    /** Entries of an old epoch are never read again; they, and any entry at all, go after a day. */
    static final Duration TTL = Duration.ofDays(1);
    static final Duration COOL_OFF = Duration.ofSeconds(5);
    private static final int BULK = 1_000;

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final CacheCircuit circuit;
    private final CacheCircuit.EpochStore epochs;
    private final String ttl = Long.toString(TTL.toSeconds());

    RedisMembershipCache(RedisDataSource redis, CacheCircuit.EpochStore epochs) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
        this.epochs = epochs;
        this.circuit = new CacheCircuit(COOL_OFF, System::nanoTime);
    }

    /** The epoch is known before the consumers write (a write before it would be skipped, costing one new epoch). */
    void readEpoch(@Observes @Priority(1) StartupEvent started) {
        circuit.refresh(epochs);
    }

    @Scheduled(every = "${satsuma.cache.epoch-refresh:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshEpoch() {
        circuit.refresh(epochs);
    }

    /** Whether answers come from PostgreSQL alone for now, and why. */
    CacheCircuit circuit() {
        return circuit;
    }

    @Override
    public Optional<Memberships.CurrentSegments> segmentsOf(String workspace, String profileId) {
        long epoch = circuit.usableEpoch();
        if (epoch < 0) {
            return Optional.empty();
        }
        try {
            String cached = values.get(profileKey(epoch, workspace, profileId));
            if (cached == null) {
                return Optional.empty();
            }
            String[] parts = cached.split("\\|", -1);
            return Optional.of(new Memberships.CurrentSegments(Long.parseLong(parts[0]), ids(parts[1]),
                    parts.length > 2 ? ids(parts[2]) : List.of()));
        } catch (RuntimeException e) {
            readFailed(e);
            return Optional.empty();
        }
    }

    @Override
    public void putSegments(String workspace, String profileId, Memberships.CurrentSegments segments) {
        long epoch = circuit.usableEpoch();
        if (epoch < 0) {
            circuit.skippedWrite();
            return;
        }
        try {
            redis.execute("EVAL", SET_IF_NEWER, "1", profileKey(epoch, workspace, profileId), Long.toString(segments.version()),
                    String.join(",", segments.segmentIds()) + "|" + String.join(",", segments.heldOutIds()), ttl);
        } catch (RuntimeException e) {
            writeFailed(e);
        }
    }

    @Override
    public void putAllSegments(String workspace, Map<String, Memberships.CurrentSegments> segments) {
        List<Map.Entry<String, Memberships.CurrentSegments>> entries = new ArrayList<>(segments.entrySet());
        for (int from = 0; from < entries.size(); from += BULK) {
            long epoch = circuit.usableEpoch();
            if (epoch < 0) {
                circuit.skippedWrite();
                return;
            }
            List<Map.Entry<String, Memberships.CurrentSegments>> chunk = entries.subList(from, Math.min(entries.size(), from + BULK));
            List<String> args = new ArrayList<>();
            args.add(SET_ALL_IF_NEWER);
            args.add(Integer.toString(chunk.size()));
            chunk.forEach(e -> args.add(profileKey(epoch, workspace, e.getKey())));
            args.add(ttl);
            chunk.forEach(e -> {
                args.add(Long.toString(e.getValue().version()));
                args.add(String.join(",", e.getValue().segmentIds()) + "|" + String.join(",", e.getValue().heldOutIds()));
            });
            try {
                redis.execute("EVAL", args.toArray(String[]::new));
            } catch (RuntimeException e) {
                writeFailed(e);
                return;
            }
        }
    }

    @Override
    public Optional<String> profileOf(String workspace, String idType, String idValue) {
        long epoch = circuit.usableEpoch();
        if (epoch < 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(values.get(identifierKey(epoch, workspace, idType, idValue)));
        } catch (RuntimeException e) {
            readFailed(e);
            return Optional.empty();
        }
    }

    @Override
    public void putIdentifier(String workspace, String idType, String idValue, String profileId) {
        putIdentifiers(workspace, List.of(new IdentifierOwner(idType, idValue, profileId)));
    }

    /** One script per thousand identifiers: a poll's new identifiers cost a round trip, not one each. */
    @Override
    public void putIdentifiers(String workspace, List<IdentifierOwner> owners) {
        for (int from = 0; from < owners.size(); from += BULK) {
            long epoch = circuit.usableEpoch();
            if (epoch < 0) {
                circuit.skippedWrite();
                return;
            }
            List<IdentifierOwner> chunk = owners.subList(from, Math.min(owners.size(), from + BULK));
            List<String> args = new ArrayList<>();
            args.add(SET_ALL);
            args.add(Integer.toString(chunk.size()));
            chunk.forEach(o -> args.add(identifierKey(epoch, workspace, o.idType(), o.idValue())));
            args.add(ttl);
            chunk.forEach(o -> args.add(o.profileId()));
            try {
                redis.execute("EVAL", args.toArray(String[]::new));
            } catch (RuntimeException e) {
                writeFailed(e);
                return;
            }
        }
    }

    @Override
    public void forgetIdentifier(String workspace, String idType, String idValue) {
        long epoch = circuit.usableEpoch();
        if (epoch < 0) {
            circuit.skippedWrite();
            return;
        }
        try {
            redis.key(String.class).del(identifierKey(epoch, workspace, idType, idValue));
        } catch (RuntimeException e) {
            writeFailed(e);
        }
    }

    private void readFailed(RuntimeException e) {
        circuit.failed(false, e.getClass().getSimpleName());
        LOG.warnf("Redis read failed, answering from PostgreSQL for %d s: %s", COOL_OFF.toSeconds(), e.getMessage());
    }

    private void writeFailed(RuntimeException e) {
        circuit.failed(true, e.getClass().getSimpleName());
        LOG.warnf("Redis write failed; Redis is left alone until a new cache epoch is taken: %s", e.getMessage());
    }

    private static List<String> ids(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static String profileKey(long epoch, String workspace, String profileId) {
        return CacheKeys.profile(epoch, workspace, profileId);
    }

    private static String identifierKey(long epoch, String workspace, String idType, String idValue) {
        return CacheKeys.identifier(epoch, workspace, idType, idValue);
    }
}
