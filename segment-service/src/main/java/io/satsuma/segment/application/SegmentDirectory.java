package io.satsuma.segment.application;

import com.github.benmanes.caffeine.cache.Cache;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.cache.Caches;
import io.satsuma.support.transaction.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A workspace's live segments by id, as the membership API names them on every request: cached for 5 s per
 * instance, forgotten at once on this instance when a definition changes (after that change commits).
 */
@ApplicationScoped
public class SegmentDirectory {
    private static final Duration TTL = Duration.ofSeconds(5);

    private final Segments segments;
    private final AfterCommit afterCommit;
    private final Cache<String, Map<String, Segment>> byWorkspace;

    SegmentDirectory(Segments segments, AfterCommit afterCommit, Clock clock) {
        this.segments = segments;
        this.afterCommit = afterCommit;
        this.byWorkspace = Caches.expiringAfterWrite(TTL, clock);
    }

    public Map<String, Segment> byId(String workspace) {
        return byWorkspace.get(workspace, ws -> segments.list(ws).stream()
                .collect(Collectors.toMap(Segment::id, Function.identity())));
    }

    /** Forgets the workspace's segments once the definition change in progress has committed. */
    public void forgetAfterCommit(String workspace) {
        afterCommit.run(() -> byWorkspace.invalidate(workspace));
    }
}
