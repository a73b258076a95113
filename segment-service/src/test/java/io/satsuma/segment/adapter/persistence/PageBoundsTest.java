package io.satsuma.segment.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.segment.domain.ProfileScans;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A backfill's page bounds, on real PostgreSQL, for a workspace that is most of the table (which the service
 * samples) and one that is a small part of it (whose ids it reads): pages of about the asked size either way,
 * counted here in the database's own order, and every active profile in exactly one of them.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class, initArgs = {
        @ResourceArg(name = "database", value = "segment"), @ResourceArg(name = "redis", value = "true")})
class PageBoundsTest {
    @Inject
    Sql sql;

    @Inject
    ProfileScans scans;

    @Test
    void boundsSplitALargeAndASmallWorkspaceIntoPagesOfAboutTheAskedSize() {
        String large = "pb-large-" + UUID.randomUUID();
        String small = "pb-small-" + UUID.randomUUID();
        insertProfiles(large, 60_000);
        insertProfiles(small, 3_000);
        sql.update("ANALYZE profile_state");

        assertPagesOfAbout(large, 60_000, 10_000);
        assertPagesOfAbout(small, 3_000, 500);
        assertThat(scans.pageBounds(small, 3_000, 5_000)).isEmpty();
    }

    private void insertProfiles(String workspace, int count) {
        // Random ids (as profile-service's UUIDs), one in ten merged: only active profiles count.
        sql.update("""
                INSERT INTO profile_state (workspace, profile_id, status, traits, aggregates)
                SELECT ?, md5(random()::text || g), CASE WHEN g % 10 = 0 THEN 'MERGED' ELSE 'ACTIVE' END, '{}', '{}'
                FROM generate_series(1, ?) g""", workspace, count * 10 / 9);
    }

    private void assertPagesOfAbout(String workspace, long active, int pageProfiles) {
        List<String> bounds = scans.pageBounds(workspace, active, pageProfiles);
        int pages = (int) (active / pageProfiles);
        assertThat(bounds).hasSize(pages - 1);
        List<Long> sizes = new ArrayList<>();
        String after = "";
        for (int i = 0; i <= bounds.size(); i++) {
            String upTo = i < bounds.size() ? bounds.get(i) : null;
            sizes.add(sql.queryOne("SELECT count(*) FROM profile_state WHERE workspace = ? AND status = 'ACTIVE'"
                            + " AND profile_id > ?" + (upTo == null ? "" : " AND profile_id <= ?"),
                    rs -> rs.getLong(1), upTo == null ? new Object[] {workspace, after} : new Object[] {workspace, after, upTo})
                    .orElseThrow());
            after = upTo;
        }
        assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(active);
        assertThat(sizes).as("pages of %s", workspace).allSatisfy(size -> assertThat(size).isBetween(
                (long) (pageProfiles * 0.7), (long) (pageProfiles * 1.3)));
    }
}
