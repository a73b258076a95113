package io.satsuma.segment.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A profile's memberships are read on every evaluation, so that read must cost the same in a workspace of a
 * hundred profiles and of a million. It once did not: the only index on a profile's memberships covered current
 * members, so each evaluation scanned the workspace's whole membership table (2.6 ms at 22,740 rows: EXPLAIN
 * ANALYZE with psql on the run command's database). Checked on PostgreSQL's plan for the very statement the
 * adapter runs, in a workspace of 3,000 profiles (45,000 membership rows).
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "segment"), @ResourceArg(name = "redis", value = "true")})
class EvaluationQueriesTest {

    @Inject
    Sql sql;

    @Test
    void aProfilesMembershipsAreReadThroughAnIndexOnTheProfile() {
        String workspace = "iq-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sql.update("""
                INSERT INTO membership (workspace, segment_id, profile_id, member, sequence, changed_at)
                SELECT ?, 'segment-' || (g % 15), 'profile-' || (g / 15), g % 3 = 0, 1, now()
                FROM generate_series(1, 45000) g""", workspace));
        sql.update("ANALYZE membership");

        List<String> plan = sql.query("EXPLAIN (ANALYZE, BUFFERS) " + JdbcMemberships.OF_PROFILE, rs -> rs.getString(1),
                workspace, "profile-42");

        // A primary-key scan on (workspace, segment_id, profile_id) looks alike in the plan's text but reads every
        // page of the workspace's entries; a look-up by profile reads a handful.
        assertThat(String.join("\n", plan)).as("the plan of a profile's memberships").doesNotContain("Seq Scan");
        assertThat(pagesRead(plan)).as("pages read for one profile's 15 memberships:%n%s", String.join("\n", plan))
                .isLessThan(20);
    }

    /** The pages the whole statement touched (its top node's buffers: hit, read and dirtied). */
    private static int pagesRead(List<String> plan) {
        Matcher buffers = Pattern.compile("Buffers: shared ((?:\\w+=\\d+ ?)+)").matcher(String.join("\n", plan));
        assertThat(buffers.find()).as("EXPLAIN reports buffers").isTrue();
        int pages = 0;
        for (String part : buffers.group(1).trim().split(" ")) {
            pages += Integer.parseInt(part.substring(part.indexOf('=') + 1));
        }
        return pages;
    }
}
