package io.satsuma.profile.adapter.persistence;

import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link MergeJournal} on PostgreSQL: the {@code merge_journal} table. */
@ApplicationScoped
class JdbcMergeJournal implements MergeJournal {
    private final Sql sql;

    JdbcMergeJournal(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void journal(String workspace, MergeEntry e) {
        sql.update("""
                INSERT INTO merge_journal (workspace, survivor_id, absorbed_id, outcome, rule, reason, identifier_type,
                                           message_id, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                workspace, e.survivorId(), e.absorbedId(), e.outcome(), e.rule(), e.reason(), e.identifierType(),
                e.messageId(), e.at());
    }

    @Override
    public List<MergeEntry> mergesOf(String workspace, String profileId) {
        List<MergeEntry> entries = new ArrayList<>(sql.query("""
                SELECT * FROM merge_journal WHERE workspace = ? AND (survivor_id = ? OR absorbed_id = ?) ORDER BY id""",
                rs -> new MergeEntry(rs.getString("survivor_id"), rs.getString("absorbed_id"), rs.getString("outcome"),
                        rs.getString("rule"), rs.getString("reason"), rs.getString("identifier_type"),
                        rs.getString("message_id"), Sql.instant(rs, "at")),
                workspace, profileId, profileId));
        entries.sort(Comparator.comparing(MergeEntry::at));
        return entries;
    }
}
