package io.satsuma.profile.adapter.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.satsuma.profile.domain.MergeEntry;
import io.satsuma.profile.domain.MergeJournal;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@link MergeJournal} on PostgreSQL: the {@code merge_journal} table. */
@ApplicationScoped
class JdbcMergeJournal implements MergeJournal {
    private final Sql sql;
    private final MeterRegistry meters;

    JdbcMergeJournal(Sql sql, MeterRegistry meters) {
        this.sql = sql;
        this.meters = meters;
    }

    /** Merges, refused merges and unmerges as journaled (a transaction retried counts its entries again). */
    private void count(List<MergeEntry> entries) {
        entries.forEach(e -> meters.counter("satsuma.profile.merges", "outcome", e.outcome().toLowerCase(Locale.ROOT))
                .increment());
    }

    @Override
    public void journal(String workspace, MergeEntry e) {
        sql.update("""
                INSERT INTO merge_journal (workspace, survivor_id, absorbed_id, outcome, rule, reason, identifier_type,
                                           message_id, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                workspace, e.survivorId(), e.absorbedId(), e.outcome(), e.rule(), e.reason(), e.identifierType(),
                e.messageId(), e.at());
        count(List.of(e));
    }

    @Override
    public void journalAll(String workspace, List<MergeEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        count(entries);
        // WITH ORDINALITY keeps the entries' order in the serial ids the journal is read back by.
        sql.update("""
                INSERT INTO merge_journal (workspace, survivor_id, absorbed_id, outcome, rule, reason, identifier_type,
                                           message_id, at)
                SELECT ?, survivor_id, absorbed_id, outcome, rule, reason, identifier_type, message_id, at
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::timestamptz[]) WITH ORDINALITY
                     AS e(survivor_id, absorbed_id, outcome, rule, reason, identifier_type, message_id, at, n)
                ORDER BY n""", workspace,
                entries.stream().map(MergeEntry::survivorId).toArray(String[]::new),
                entries.stream().map(MergeEntry::absorbedId).toArray(String[]::new),
                entries.stream().map(MergeEntry::outcome).toArray(String[]::new),
                entries.stream().map(MergeEntry::rule).toArray(String[]::new),
                entries.stream().map(MergeEntry::reason).toArray(String[]::new),
                entries.stream().map(MergeEntry::identifierType).toArray(String[]::new),
                entries.stream().map(MergeEntry::messageId).toArray(String[]::new),
                entries.stream().map(e -> e.at().toString()).toArray(String[]::new));
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
