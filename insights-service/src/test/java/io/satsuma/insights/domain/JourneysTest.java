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

class JourneysTest {

    @Test
    void theMatrixEqualsTheBruteForceTransitionsOnRandomHistories() {
        Random random = new Random(8);
        for (int run = 0; run < 60; run++) {
            int stages = 1 + random.nextInt(5);
            int profiles = 5 + random.nextInt(30);
            List<String> ids = new ArrayList<>();
            List<RandomHistory> histories = new ArrayList<>();
            Map<String, List<MembershipRecord>> changes = new HashMap<>();
            for (int s = 0; s < stages; s++) {
                RandomHistory history = new RandomHistory(random, profiles);
                ids.add("stage" + s);
                histories.add(history);
                changes.put("stage" + s, history.deliveredChanges(random));
            }
            Instant from = histories.get(0).from.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = histories.get(0).to.atStartOfDay(ZoneOffset.UTC).toInstant();

            Journeys.Matrix matrix = Journeys.between(from, to, ids, changes);

            long[][] expected = new long[stages + 1][stages + 1];
            Set<String> everyone = new TreeSet<>();
            histories.forEach(h -> h.toggles.forEach(t -> everyone.add(t.profileId())));
            for (String profile : everyone) {
                int before = stage(histories, profile, from);
                int after = stage(histories, profile, to);
                if (before != stages || after != stages) {
                    expected[before][after]++;
                }
            }
            assertThat(matrix.counts()).as("run %d", run).isDeepEqualTo(expected);
            assertThat(matrix.stages()).endsWith(Journeys.NONE).hasSize(stages + 1);
        }
    }

    /** The first listed stage the profile truly was in at the instant, else "none" (the last index). */
    private static int stage(List<RandomHistory> histories, String profile, Instant at) {
        for (int i = 0; i < histories.size(); i++) {
            if (BruteForceMetrics.memberAt(histories.get(i), profile, at)) {
                return i;
            }
        }
        return histories.size();
    }
}
