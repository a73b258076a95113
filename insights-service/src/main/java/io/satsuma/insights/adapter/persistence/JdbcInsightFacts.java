package io.satsuma.insights.adapter.persistence;

import io.satsuma.insights.domain.Delivery;
import io.satsuma.insights.domain.Fact;
import io.satsuma.insights.domain.InsightFacts;
import io.satsuma.insights.domain.MembershipRecord;
import io.satsuma.insights.domain.OrderLine;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link InsightFacts} on PostgreSQL: the {@code membership_change} and {@code profile_fact} tables. */
@ApplicationScoped
class JdbcInsightFacts implements InsightFacts {
    private final Sql sql;

    JdbcInsightFacts(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void recordChanges(String workspace, List<SegmentChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO membership_change (workspace, segment_id, profile_id, sequence, entered, at, holdout)
                SELECT ?, segment_id, profile_id, sequence, entered, at, holdout
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::boolean[], ?::timestamptz[], ?::boolean[])
                     AS c(segment_id, profile_id, sequence, entered, at, holdout)
                ON CONFLICT DO NOTHING""", workspace,
                changes.stream().map(SegmentChange::segmentId).toArray(String[]::new),
                changes.stream().map(c -> c.change().profileId()).toArray(String[]::new),
                changes.stream().map(c -> c.change().sequence()).toArray(Long[]::new),
                changes.stream().map(c -> c.change().entered()).toArray(Boolean[]::new),
                changes.stream().map(c -> c.change().at().toString()).toArray(String[]::new),
                changes.stream().map(c -> c.change().holdout()).toArray(Boolean[]::new));
    }

    @Override
    public void recordFacts(String workspace, List<Fact> facts) {
        if (facts.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO profile_fact (workspace, event_id, profile_id, kind, order_id, amount, at)
                SELECT ?, event_id, profile_id, kind, order_id, amount, at
                FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::timestamptz[])
                     AS f(event_id, profile_id, kind, order_id, amount, at)
                ON CONFLICT DO NOTHING""", workspace,
                facts.stream().map(Fact::eventId).toArray(String[]::new),
                facts.stream().map(Fact::profileId).toArray(String[]::new),
                facts.stream().map(f -> f.kind().name()).toArray(String[]::new),
                facts.stream().map(Fact::orderId).toArray(String[]::new),
                facts.stream().map(f -> f.amount().toPlainString()).toArray(String[]::new),
                facts.stream().map(f -> f.at().toString()).toArray(String[]::new));
    }

    @Override
    public List<MembershipRecord> changesOf(String workspace, String segmentId, Instant until) {
        return sql.query("""
                SELECT profile_id, sequence, entered, at, holdout FROM membership_change
                WHERE workspace = ? AND segment_id = ? AND at < ?""",
                rs -> new MembershipRecord(rs.getString(1), rs.getLong(2), rs.getBoolean(3), Sql.instant(rs, "at"),
                        rs.getBoolean(5)), workspace, segmentId, until);
    }

    @Override
    public Map<String, List<MembershipRecord>> changesOfSegments(String workspace, List<String> segmentIds, Instant until) {
        Map<String, List<MembershipRecord>> bySegment = new HashMap<>();
        sql.query("""
                SELECT segment_id, profile_id, sequence, entered, at, holdout FROM membership_change
                WHERE workspace = ? AND segment_id = ANY(?) AND at < ?""",
                rs -> bySegment.computeIfAbsent(rs.getString(1), s -> new ArrayList<>()).add(new MembershipRecord(
                        rs.getString(2), rs.getLong(3), rs.getBoolean(4), Sql.instant(rs, "at"), rs.getBoolean(6))),
                workspace, segmentIds.toArray(String[]::new), until);
        return bySegment;
    }

    @Override
    public List<Fact> factsOfMembers(String workspace, String segmentId, Instant from, Instant to) {
        return sql.query("""
                SELECT f.event_id, f.profile_id, f.kind, f.order_id, f.amount, f.at FROM profile_fact f
                WHERE f.workspace = ?
                  AND f.profile_id IN (SELECT DISTINCT profile_id FROM membership_change WHERE workspace = ? AND segment_id = ?)
                  AND ((f.at >= ? AND f.at < ?) OR f.kind = 'REFUND')""",
                rs -> new Fact(rs.getString(1), rs.getString(2), Fact.Kind.valueOf(rs.getString(3)), rs.getString(4),
                        rs.getBigDecimal(5), Sql.instant(rs, "at")), workspace, workspace, segmentId, from, to);
    }

    @Override
    public void recordDeliveries(String workspace, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO delivery (workspace, delivery_id, sync_id, profile_id, at)
                SELECT ?, delivery_id, sync_id, profile_id, at
                FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[]) AS d(delivery_id, sync_id, profile_id, at)
                ON CONFLICT DO NOTHING""", workspace,
                deliveries.stream().map(Delivery::deliveryId).toArray(String[]::new),
                deliveries.stream().map(Delivery::syncId).toArray(String[]::new),
                deliveries.stream().map(Delivery::profileId).toArray(String[]::new),
                deliveries.stream().map(d -> d.at().toString()).toArray(String[]::new));
    }

    @Override
    public List<Delivery> deliveriesAround(String workspace, String syncId, Instant from, Instant to) {
        return sql.query("""
                SELECT d.delivery_id, d.sync_id, d.profile_id, d.at FROM delivery d
                WHERE d.workspace = ? AND d.at >= ? AND d.at < ?
                  AND d.profile_id IN (SELECT profile_id FROM delivery WHERE workspace = ? AND sync_id = ? AND at >= ? AND at < ?)""",
                rs -> new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "at")),
                workspace, from, to, workspace, syncId, from, to);
    }

    @Override
    public List<Fact> ordersOfReached(String workspace, String syncId, Instant reachedFrom, Instant reachedTo,
                                      Instant from, Instant to) {
        return sql.query("""
                SELECT f.event_id, f.profile_id, f.kind, f.order_id, f.amount, f.at FROM profile_fact f
                WHERE f.workspace = ?
                  AND f.profile_id IN (SELECT profile_id FROM delivery WHERE workspace = ? AND sync_id = ? AND at >= ? AND at < ?)
                  AND ((f.kind = 'ORDER' AND f.at >= ? AND f.at < ?) OR f.kind = 'REFUND')""",
                rs -> new Fact(rs.getString(1), rs.getString(2), Fact.Kind.valueOf(rs.getString(3)), rs.getString(4),
                        rs.getBigDecimal(5), Sql.instant(rs, "at")),
                workspace, workspace, syncId, reachedFrom, reachedTo, from, to);
    }

    @Override
    public void recordOrderLines(String workspace, List<OrderLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        sql.update("""
                INSERT INTO order_line (workspace, event_id, line, profile_id, product_id, category, at)
                SELECT ?, event_id, line, profile_id, product_id, category, at
                FROM unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                     AS l(event_id, line, profile_id, product_id, category, at)
                ON CONFLICT DO NOTHING""", workspace,
                lines.stream().map(OrderLine::eventId).toArray(String[]::new),
                lines.stream().map(l -> Integer.toString(l.line())).toArray(String[]::new),
                lines.stream().map(OrderLine::profileId).toArray(String[]::new),
                lines.stream().map(OrderLine::productId).toArray(String[]::new),
                lines.stream().map(OrderLine::category).toArray(String[]::new),
                lines.stream().map(l -> l.at().toString()).toArray(String[]::new));
    }

    @Override
    public List<OrderLine> orderLines(String workspace, Instant from, Instant to) {
        return sql.query("""
                SELECT event_id, line, profile_id, product_id, category, at FROM order_line
                WHERE workspace = ? AND at >= ? AND at < ?""",
                rs -> new OrderLine(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        Sql.instant(rs, "at")), workspace, from, to);
    }
}
