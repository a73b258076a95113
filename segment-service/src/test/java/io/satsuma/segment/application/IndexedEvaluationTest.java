package io.satsuma.segment.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.satsuma.contracts.profile.v1.Identifier;
import io.satsuma.contracts.profile.v1.ProfileAggregates;
import io.satsuma.contracts.profile.v1.ProfileEvent;
import io.satsuma.contracts.profile.v1.ProfileSnapshot;
import io.satsuma.contracts.profile.v1.ProfilesMerged;
import io.satsuma.segment.application.TrackProfiles.ProfileChange;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.Segment;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The property that makes evaluating only the segments a change can affect safe: on random workspaces (every
 * condition kind, references, exclusion groups, time-driven conditions) and random streams of polls (events,
 * snapshots, redeliveries, merges, the clock moving with timers swept), every profile's memberships after every
 * poll are exactly what evaluating every segment against everything known of it gives.
 */
class IndexedEvaluationTest {
    private static final String[] EVENTS = {"Order Completed", "Product Viewed", "Cart Abandoned", "Newsletter Opened", null};
    private static final String[] LEAVES = {
            "{\"trait\":\"plan\",\"op\":\"eq\",\"value\":\"pro\"}",
            "{\"trait\":\"age\",\"op\":\"gte\",\"value\":30}",
            "{\"trait\":\"nickname\",\"op\":\"missing\"}",
            "{\"trait\":\"signed_up_at\",\"op\":\"older_than\",\"value\":\"P2D\"}",
            "{\"trait\":\"$profile.orderCount\",\"op\":\"gte\",\"value\":2}",
            "{\"trait\":\"$profile.lastOrderAt\",\"op\":\"within_last\",\"value\":\"P3D\"}",
            "{\"event\":\"Order Completed\",\"within\":\"P3D\",\"op\":\"gte\",\"value\":1}",
            "{\"event\":\"Product Viewed\",\"within\":\"PT12H\",\"op\":\"gte\",\"value\":2}",
            "{\"event\":\"Order Completed\",\"aggregate\":\"sum\",\"property\":\"revenue\",\"within\":\"P7D\",\"op\":\"gt\",\"value\":80}",
            "{\"event\":\"Cart Abandoned\",\"within\":\"P1D\",\"op\":\"eq\",\"value\":0}",
            "{\"sequence\":[{\"event\":\"Product Viewed\"},{\"event\":\"Order Completed\"}],\"op\":\"not_followed_by\","
                    + "\"within\":\"PT1H\",\"during\":\"P2D\"}",
            "{\"reorder\":\"due\",\"within\":\"P7D\"}",
            "{\"everyone\":true}"};

    @Test
    void indexedEvaluationGivesExactlyTheMembershipsOfEvaluatingEverySegment() {
        for (long seed = 1; seed <= 40; seed++) {
            runScenario(seed);
        }
    }

    private static void runScenario(long seed) {
        Random random = new Random(seed);
        UseCases app = new UseCases();
        TrackProfiles track = app.track;
        defineSegments(app, random);
        List<String> live = new ArrayList<>(List.of("p1", "p2", "p3", "p4", "p5", "p6"));
        Set<String> known = new TreeSet<>();
        Map<String, Long> versions = new HashMap<>();
        List<ProfileChange> previousPoll = List.of();

        for (int step = 0; step < 60; step++) {
            int kind = random.nextInt(10);
            List<ProfileChange> poll = new ArrayList<>();
            if (kind < 5) {
                for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
                    poll.add(event(live.get(random.nextInt(live.size())), random, app.now()));
                }
                track.apply(poll);
            } else if (kind < 7) {
                List<ProfileChange.Snapshot> snapshots = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    String profileId = live.get(random.nextInt(live.size()));
                    snapshots.add(snapshot(profileId, versions.merge(profileId, 1L, Long::sum), random, app.now()));
                }
                poll.addAll(snapshots);
                track.apply(List.copyOf(snapshots));
            } else if (kind == 7 && !previousPoll.isEmpty()) {
                int outboxBefore = app.outbox.messages().size();
                track.apply(previousPoll); // a redelivered poll changes nothing
                assertThat(app.outbox.messages()).as("seed %d step %d: redelivery", seed, step).hasSize(outboxBefore);
            } else if (kind == 8 && live.size() > 3 && random.nextInt(4) == 0) {
                String absorbed = live.remove(random.nextInt(live.size()));
                String survivor = live.get(random.nextInt(live.size()));
                poll.add(new ProfileChange.Merged(UseCases.WS, new ProfilesMerged(survivor, absorbed, app.now())));
                track.apply(poll);
            } else {
                app.clock.advance(Duration.ofMinutes(1 + random.nextInt(60 * 36)));
            }
            poll.forEach(c -> known.addAll(c.profileIds()));
            if (!poll.isEmpty() && !(poll.get(0) instanceof ProfileChange.Merged)) {
                previousPoll = poll;
            }
            while (app.sweep.sweep() > 0) {
                // the sweeper runs every second in the service: until no timer is due
            }
            for (String profileId : known) {
                assertThat(new TreeSet<>(app.memberships.current(UseCases.WS, profileId).segmentIds()))
                        .as("seed %d step %d: %s", seed, step, profileId)
                        .isEqualTo(everySegmentEvaluated(app, profileId));
            }
        }
    }

    /** 6 to 14 segments: leaves, combinations, references to earlier segments, some in an exclusion group. */
    private static void defineSegments(UseCases app, Random random) {
        List<String> ids = new ArrayList<>();
        for (int i = 0, n = 6 + random.nextInt(9); i < n; i++) {
            String condition = condition(random, ids, 0);
            String group = random.nextInt(3) == 0 ? "tier" : null;
            ids.add(app.define.create(UseCases.WS, new DefineSegment.Definition("s" + i, null, UseCases.json(condition),
                    null, group, group == null ? null : 1 + random.nextInt(5))).segment().id());
        }
    }

    private static String condition(Random random, List<String> earlier, int depth) {
        int kind = random.nextInt(10);
        if (depth < 2 && kind < 3) {
            List<String> children = new ArrayList<>();
            for (int i = 0, n = 2 + random.nextInt(2); i < n; i++) {
                children.add(condition(random, earlier, depth + 1));
            }
            return "{\"" + (kind == 0 ? "any" : "all") + "\":[" + String.join(",", children) + "]}";
        }
        if (depth < 2 && kind == 3) {
            return "{\"not\":" + condition(random, earlier, depth + 1) + "}";
        }
        if (kind == 4 && !earlier.isEmpty()) {
            return "{\"segment\":\"" + earlier.get(random.nextInt(earlier.size())) + "\"}";
        }
        return LEAVES[random.nextInt(LEAVES.length)];
    }

    private static ProfileChange event(String profileId, Random random, Instant now) {
        String name = EVENTS[random.nextInt(EVENTS.length)];
        Instant at = random.nextInt(5) == 0 ? now.plus(Duration.ofMinutes(random.nextInt(90)))
                : now.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 4)));
        return new ProfileChange.Event(UseCases.WS, new ProfileEvent(UUID.randomUUID().toString(), profileId,
                name == null ? "page" : "track", name, Map.of("revenue", random.nextInt(100),
                        "products", List.of(Map.of("product_id", "p" + random.nextInt(2)))), at));
    }

    private static ProfileChange.Snapshot snapshot(String profileId, long version, Random random, Instant now) {
        Map<String, Object> traits = new HashMap<>();
        traits.put("plan", random.nextBoolean() ? "pro" : "free");
        if (random.nextBoolean()) {
            traits.put("age", 18 + random.nextInt(40));
        }
        if (random.nextInt(4) == 0) {
            traits.put("nickname", "n" + random.nextInt(3));
        }
        traits.put("signed_up_at", now.minus(Duration.ofHours(random.nextInt(24 * 4))).toString());
        long orders = random.nextInt(4);
        Instant lastOrder = orders == 0 ? null : now.minus(Duration.ofHours(random.nextInt(24 * 5)));
        ProfileAggregates aggregates = new ProfileAggregates(orders, null, now, 0, 0, 0, 0, null, null, 0, null, false,
                orders, BigDecimal.valueOf(orders * 10), null, null, lastOrder, 0, null, 0, null, 0, 0, null, null, null, null);
        return new ProfileChange.Snapshot(UseCases.WS, new ProfileSnapshot(profileId, version, ProfileSnapshot.STATUS_ACTIVE,
                null, List.of(new Identifier("user_id", profileId)), traits, aggregates, now));
    }

    /** The reference: every segment of the workspace evaluated against all that is known of the profile now. */
    private static Set<String> everySegmentEvaluated(UseCases app, String profileId) {
        if (!app.states.isActive(UseCases.WS, profileId)) {
            return Set.of();
        }
        List<Segment> all = app.segments.list(UseCases.WS);
        ProfileFacts facts = app.states.facts(UseCases.WS, profileId, Evaluation.inputs(all, app.now()));
        return all.stream().filter(s -> s.condition().matches(facts, app.now())).map(Segment::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
