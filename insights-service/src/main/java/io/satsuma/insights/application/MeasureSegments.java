package io.satsuma.insights.application;

import io.satsuma.insights.domain.Bucketing;
import io.satsuma.insights.domain.Delivery;
import io.satsuma.insights.domain.Fact;
import io.satsuma.insights.domain.HoldoutLift;
import io.satsuma.insights.domain.InsightFacts;
import io.satsuma.insights.domain.Journeys;
import io.satsuma.insights.domain.MembershipRecord;
import io.satsuma.insights.domain.OrderLine;
import io.satsuma.insights.domain.Overlap;
import io.satsuma.insights.domain.RepeatPurchases;
import io.satsuma.insights.domain.SegmentMetrics;
import io.satsuma.insights.domain.SyncAttribution;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the facts of profiles' events, and measures a segment from them and its membership changes: per bucket, and
 * its holdout lift.
 */
@ApplicationScoped
public class MeasureSegments {
    static final long MAX_DAYS = 3_660;
    static final int MAX_CONVERSION_DAYS = 365;

    private final InsightFacts facts;

    MeasureSegments(InsightFacts facts) {
        this.facts = facts;
    }

    /** A fact of an attributed event (with its product lines if it is an order), with its workspace. */
    public record IncomingFact(String workspace, Fact fact, List<OrderLine> lines) {
    }

    /** A delivery of an entry to a destination, with its workspace. */
    public record IncomingDelivery(String workspace, Delivery delivery) {
    }

    /** A poll of deliveries in one transaction; a redelivered delivery is kept once. */
    @Transactional
    public void onDeliveries(List<IncomingDelivery> incoming) {
        Map<String, List<Delivery>> byWorkspace = new LinkedHashMap<>();
        incoming.forEach(i -> byWorkspace.computeIfAbsent(i.workspace(), w -> new ArrayList<>()).add(i.delivery()));
        byWorkspace.forEach(facts::recordDeliveries);
    }

    /**
     * What a sync earned per bucket: deliveries from {@code windowDays} before the first bucket (they reach its
     * orders), the reached profiles' orders until {@code windowDays} after the last (conversions of its deliveries).
     */
    public List<SyncAttribution.SyncBucket> syncMetrics(String workspace, String syncId, LocalDate from, LocalDate to,
                                                        Bucketing bucketing, int windowDays) {
        validate(from, to, new Days("windowDays", windowDays), List.of());
        List<Bucketing.Bucket> buckets = bucketing.cut(from, to);
        Instant start = buckets.get(0).start().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = buckets.get(buckets.size() - 1).end().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant reachedFrom = start.minus(windowDays, ChronoUnit.DAYS);
        return SyncAttribution.compute(syncId, facts.deliveriesAround(workspace, syncId, reachedFrom, end),
                facts.ordersOfReached(workspace, syncId, reachedFrom, end, start, end.plus(windowDays, ChronoUnit.DAYS)),
                from, to, bucketing, windowDays);
    }

    /** A poll of facts in one transaction; a redelivered event is kept once. */
    @Transactional
    public void onFacts(List<IncomingFact> incoming) {
        Map<String, List<Fact>> byWorkspace = new LinkedHashMap<>();
        Map<String, List<OrderLine>> linesByWorkspace = new LinkedHashMap<>();
        incoming.forEach(i -> {
            byWorkspace.computeIfAbsent(i.workspace(), w -> new ArrayList<>()).add(i.fact());
            linesByWorkspace.computeIfAbsent(i.workspace(), w -> new ArrayList<>()).addAll(i.lines());
        });
        byWorkspace.forEach(facts::recordFacts);
        linesByWorkspace.forEach(facts::recordOrderLines);
    }

    /** Repeat purchases per product or category over the days {@code from..to}. */
    public List<RepeatPurchases.Item> repeatPurchases(String workspace, LocalDate from, LocalDate to, RepeatPurchases.By by,
                                                      int minBuyers, double recurringRate) {
        List<FieldError> more = new ArrayList<>();
        if (minBuyers < 1) {
            more.add(new FieldError("minBuyers", "a positive whole number"));
        }
        if (!(recurringRate > 0 && recurringRate <= 1)) {
            more.add(new FieldError("recurringRate", "a share above 0 and at most 1"));
        }
        validate(from, to, null, more);
        return RepeatPurchases.of(facts.orderLines(workspace, from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()), by, minBuyers, recurringRate);
    }

    /**
     * The segment's figures per bucket over the UTC days {@code from..to}: membership changes up to the end of the
     * last bucket, the members' facts from the first bucket's start to {@code conversionDays} after the last's end.
     */
    public List<SegmentMetrics.BucketMetrics> metrics(String workspace, String segmentId, LocalDate from, LocalDate to,
                                                      Bucketing bucketing, int conversionDays) {
        validate(from, to, new Days("conversionDays", conversionDays), List.of());
        List<Bucketing.Bucket> buckets = bucketing.cut(from, to);
        Instant start = buckets.get(0).start().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = buckets.get(buckets.size() - 1).end().atStartOfDay(ZoneOffset.UTC).toInstant();
        return SegmentMetrics.compute(facts.changesOf(workspace, segmentId, end),
                facts.factsOfMembers(workspace, segmentId, start, end.plus(conversionDays, ChronoUnit.DAYS)),
                from, to, bucketing, conversionDays);
    }

    /**
     * Treatment against control for the profiles that entered on the days {@code from..to}; {@code holdoutPercent} is
     * the segment's (what the split should be).
     */
    public HoldoutLift.Lift lift(String workspace, String segmentId, LocalDate from, LocalDate to, int conversionDays,
                                 double holdoutPercent) {
        List<FieldError> more = new ArrayList<>();
        if (!(holdoutPercent > 0 && holdoutPercent < 100)) {
            more.add(new FieldError("holdoutPercent", "the segment's holdout share in percent, above 0 and below 100"));
        }
        validate(from, to, new Days("conversionDays", conversionDays), more);
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return HoldoutLift.compute(facts.changesOf(workspace, segmentId, end),
                facts.factsOfMembers(workspace, segmentId, start, end.plus(conversionDays, ChronoUnit.DAYS)),
                from, to, conversionDays, holdoutPercent / 100);
    }

    /** How 2 to 20 segments share members at an instant (combinations for up to 6). */
    public Overlap.Result overlap(String workspace, List<String> segmentIds, Instant at) {
        if (segmentIds.size() < 2 || segmentIds.size() > Overlap.MAX_PAIRWISE) {
            throw new InvalidInput("name 2 to " + Overlap.MAX_PAIRWISE + " segments",
                    List.of(new FieldError("segments", "2 to " + Overlap.MAX_PAIRWISE + " segment ids; got "
                            + segmentIds.size())));
        }
        if (Set.copyOf(segmentIds).size() != segmentIds.size()) {
            throw new InvalidInput("a segment is named twice", List.of(new FieldError("segments", "each segment once")));
        }
        // Changes at the instant itself count: a profile that enters at it is a member at it.
        return Overlap.at(at, segmentIds, facts.changesOfSegments(workspace, segmentIds, at.plus(1, ChronoUnit.MICROS)));
    }

    /**
     * How profiles moved between the stages (segment ids in priority order, up to 20) over the days
     * {@code from..to}: the whole range, and each bucket. Memberships are as segment-service recorded them when
     * they happened.
     */
    public JourneyReport journeys(String workspace, List<String> stageIds, LocalDate from, LocalDate to,
                                  Bucketing bucketing) {
        if (stageIds.isEmpty() || stageIds.size() > Overlap.MAX_PAIRWISE || Set.copyOf(stageIds).size() != stageIds.size()) {
            throw new InvalidInput("name 1 to " + Overlap.MAX_PAIRWISE + " stages, each once",
                    List.of(new FieldError("segments", "1 to " + Overlap.MAX_PAIRWISE + " distinct segment ids")));
        }
        validate(from, to, null, List.of());
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, List<MembershipRecord>> changes = facts.changesOfSegments(workspace, stageIds, end.plus(1, ChronoUnit.MICROS));
        return new JourneyReport(Journeys.between(from.atStartOfDay(ZoneOffset.UTC).toInstant(), end, stageIds, changes),
                Journeys.perBucket(from, to, bucketing, stageIds, changes));
    }

    /** The transitions over the whole range, and per bucket. */
    public record JourneyReport(Journeys.Matrix overall, List<Journeys.Matrix> buckets) {
    }

    /** Refuses, naming each, a reversed or too long range, a days parameter out of bounds, and the {@code more} errors. */
    private static void validate(LocalDate from, LocalDate to, Days days, List<FieldError> more) {
        List<FieldError> errors = new ArrayList<>(more);
        if (to.isBefore(from)) {
            errors.add(new FieldError("to", "must be on or after 'from'"));
        } else if (ChronoUnit.DAYS.between(from, to) > MAX_DAYS) {
            errors.add(new FieldError("from", "the range may span at most " + MAX_DAYS + " days"));
        }
        if (days != null && (days.value() < 1 || days.value() > MAX_CONVERSION_DAYS)) {
            errors.add(new FieldError(days.name(), "an integer from 1 to " + MAX_CONVERSION_DAYS));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("the query is not valid", errors);
        }
    }

    /** A query parameter counting days (a conversion or attribution window). */
    private record Days(String name, int value) {
    }
}
