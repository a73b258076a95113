package io.satsuma.insights.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OverlapTest {

    @Test
    void theMatrixAndTheCombinationsEqualTheBruteForceCountsOnRandomHistories() {
        Random random = new Random(5);
        for (int run = 0; run < 60; run++) {
            int n = 2 + random.nextInt(7); // up to 8: beyond 6 there are no combinations
            int profiles = 10 + random.nextInt(40);
            List<String> ids = new ArrayList<>();
            List<RandomHistory> histories = new ArrayList<>();
            Map<String, List<MembershipRecord>> changes = new HashMap<>();
            for (int s = 0; s < n; s++) {
                RandomHistory history = new RandomHistory(random, profiles);
                ids.add("s" + s);
                histories.add(history);
                changes.put("s" + s, history.deliveredChanges(random));
            }
            // Now and then exactly at an entry or exit instant, else an instant inside the histories.
            RandomHistory.Toggle some = histories.get(0).toggles.isEmpty() ? null
                    : histories.get(0).toggles.get(random.nextInt(histories.get(0).toggles.size()));
            Instant at = some != null && random.nextBoolean() ? some.at()
                    : histories.get(0).from.plusDays(random.nextInt(20)).atStartOfDay(ZoneOffset.UTC).toInstant()
                            .plusSeconds(random.nextInt(86_400));

            Overlap.Result result = Overlap.at(at, ids, changes);

            List<Set<String>> members = new ArrayList<>();
            for (RandomHistory history : histories) {
                Set<String> now = new TreeSet<>();
                history.toggles.forEach(t -> {
                    if (BruteForceMetrics.memberAt(history, t.profileId(), at)) {
                        now.add(t.profileId());
                    }
                });
                members.add(now);
            }
            for (int i = 0; i < n; i++) {
                assertThat(result.sizes().get(i)).as("run %d size %d", run, i).isEqualTo(members.get(i).size());
                for (int j = 0; j < n; j++) {
                    Set<String> both = new TreeSet<>(members.get(i));
                    both.retainAll(members.get(j));
                    assertThat(result.pairwise()[i][j]).as("run %d [%d][%d]", run, i, j).isEqualTo(both.size());
                }
            }
            if (n > Overlap.MAX_COMBINATIONS) {
                assertThat(result.combinations()).isNull();
                continue;
            }
            Map<List<String>, Long> expected = new HashMap<>();
            Set<String> everyone = new TreeSet<>();
            members.forEach(everyone::addAll);
            for (String profile : everyone) {
                List<String> exactly = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (members.get(i).contains(profile)) {
                        exactly.add(ids.get(i));
                    }
                }
                expected.merge(exactly, 1L, Long::sum);
            }
            Map<List<String>, Long> actual = new HashMap<>();
            result.combinations().forEach(c -> actual.put(c.segmentIds(), c.profiles()));
            assertThat(actual).as("run %d combinations", run).isEqualTo(expected);
        }
    }
}
