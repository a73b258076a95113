package io.satsuma.segment.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.segment.domain.Condition;
import io.satsuma.segment.domain.ConditionParser;
import io.satsuma.segment.domain.Evaluation;
import io.satsuma.segment.domain.Explanation;
import io.satsuma.segment.domain.Memberships;
import io.satsuma.segment.domain.PointInTime;
import io.satsuma.segment.domain.ProfileFacts;
import io.satsuma.segment.domain.ProfileScans;
import io.satsuma.segment.domain.ProfileStates;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Explain, history, members, size and preview: the questions marketers and analysts ask of segments. */
@ApplicationScoped
public class InspectMemberships {
    /** A preview evaluates at most this many profiles; the answer says how many it did. */
    public static final int PREVIEW_LIMIT = 100_000;
    private static final int PREVIEW_SAMPLE = 10;
    private static final int PAGE = 500;

    private final Segments segments;
    private final ProfileStates states;
    private final ProfileScans scans;
    private final Memberships memberships;
    private final Clock clock;

    InspectMemberships(Segments segments, ProfileStates states, ProfileScans scans, Memberships memberships, Clock clock) {
        this.segments = segments;
        this.states = states;
        this.scans = scans;
        this.memberships = memberships;
        this.clock = clock;
    }

    /** Why a profile is (not) in a segment now, and when that can next change without new input. */
    public record Explain(String segmentId, String profileId, Instant at, boolean member, boolean matches,
                          Instant nextChangeAt, Explanation condition) {
    }

    public Explain explain(String workspace, String segmentId, String profileId) {
        Segment segment = segment(workspace, segmentId);
        Instant now = clock.instant();
        ProfileFacts facts = states.facts(workspace, profileId, Evaluation.inputsOf(List.of(segment.condition()), now));
        boolean member = Optional.ofNullable(memberships.of(workspace, profileId).get(segmentId))
                .map(Memberships.State::member).orElse(false);
        Condition condition = segment.condition();
        return new Explain(segmentId, profileId, now, member, states.isActive(workspace, profileId)
                && condition.matches(facts, now), condition.nextFlip(facts, now).orElse(null), condition.explain(facts, now));
    }

    /** A stay in a segment, named. */
    public record Stay(String segmentId, String segmentName, Instant enteredAt, Instant exitedAt,
                       String enterCause, String exitCause) {
    }

    public List<Stay> history(String workspace, String profileId) {
        Map<String, Segment> byId = segments.list(workspace).stream()
                .collect(Collectors.toMap(Segment::id, Function.identity()));
        return memberships.historyOf(workspace, profileId).stream()
                .map(i -> new Stay(i.segmentId(), Optional.ofNullable(byId.get(i.segmentId())).map(Segment::name).orElse(null),
                        i.enteredAt(), i.exitedAt(), i.enterCause(), i.exitCause()))
                .toList();
    }

    /** One page of members; {@code nextCursor} is null on the last page. */
    public record MembersPage(String segmentId, Instant at, List<String> profileIds, String nextCursor) {
    }

    public MembersPage members(String workspace, String segmentId, Instant at, String cursor, int limit) {
        segment(workspace, segmentId);
        if (limit < 1 || limit > 1000) {
            throw new InvalidInput("limit must be between 1 and 1000",
                    List.of(new FieldError("limit", "1..1000")));
        }
        List<String> page = memberships.membersPage(workspace, segmentId, at, cursor == null ? "" : cursor, limit + 1);
        boolean more = page.size() > limit;
        List<String> ids = more ? page.subList(0, limit) : page;
        return new MembersPage(segmentId, at, List.copyOf(ids), more ? ids.get(ids.size() - 1) : null);
    }

    public long size(String workspace, String segmentId) {
        segment(workspace, segmentId);
        return memberships.size(workspace, segmentId);
    }

    /** What an unsaved definition would hold now: its size and a few members. Publishes nothing. */
    public record Preview(long size, List<String> sample, long evaluated, boolean complete) {
    }

    public Preview preview(String workspace, JsonNode conditionJson) {
        return preview(workspace, conditionJson, null);
    }

    /**
     * The same at a past instant {@code at} (null: now), over the profiles as they stood then ({@link PointInTime}):
     * what a definition would have held on a day of imported history.
     */
    public Preview preview(String workspace, JsonNode conditionJson, Instant at) {
        if (conditionJson == null || conditionJson.isNull()) {
            throw new InvalidInput("a condition is required",
                    List.of(new FieldError("/condition", "required")));
        }
        ConditionParser.Result parsed = ConditionParser.parse(conditionJson);
        if (!parsed.valid()) {
            throw new InvalidInput("the condition is invalid", parsed.errors().stream()
                    .map(e -> new FieldError("/condition" + e.pointer(), e.message())).toList());
        }
        Condition condition = parsed.condition();
        Instant when = pastOrNow(at, "/at");
        boolean past = at != null;
        Evaluation.Inputs inputs = past ? PointInTime.inputs(List.of(condition), when)
                : Evaluation.inputsOf(List.of(condition), when);
        long[] size = {0};
        List<String> sample = new ArrayList<>();
        Scan scan = scanActive(workspace, inputs, facts -> {
            if (condition.matches(past ? PointInTime.at(facts, when) : facts, when)) {
                size[0]++;
                if (sample.size() < PREVIEW_SAMPLE) {
                    sample.add(facts.profileId());
                }
            }
        });
        return new Preview(size[0], sample, scan.evaluated(), scan.complete());
    }

    /** How many profiles a scan evaluated, and whether that was all of the workspace's active ones. */
    private record Scan(long evaluated, boolean complete) {
    }

    /**
     * Hands the facts of the workspace's active profiles to {@code each}, a page at a time (one read of the page's
     * rows and one of their events), up to {@link #PREVIEW_LIMIT} profiles.
     */
    private Scan scanActive(String workspace, Evaluation.Inputs inputs, Consumer<ProfileFacts> each) {
        long evaluated = 0;
        String after = "";
        while (evaluated < PREVIEW_LIMIT) {
            List<String> page = scans.profileIds(workspace, after, PAGE);
            if (page.isEmpty()) {
                return new Scan(evaluated, true);
            }
            // A profile merged away since the page was listed is absent: it is no longer one of the active ones.
            for (ProfileFacts facts : states.factsOfActive(workspace, page, inputs).values()) {
                each.accept(facts);
                evaluated++;
            }
            after = page.get(page.size() - 1);
        }
        return new Scan(evaluated, scans.profileIds(workspace, after, 1).isEmpty());
    }

    /**
     * How profiles moved between stages from {@code from} to {@code to}, evaluating the saved definitions at both
     * instants over the profiles as they stood then: {@code counts[i][j]} profiles were in stage i at {@code from}
     * and stage j at {@code to} (the first listed stage that holds; the last row and column are "none"; profiles in
     * none at both are not counted). At most {@link #PREVIEW_LIMIT} profiles are evaluated.
     */
    public record Journey(Instant from, Instant to, List<String> stages, long[][] counts, long evaluated,
                          boolean complete) {
    }

    public Journey journey(String workspace, List<String> segmentIds, Instant from, Instant to) {
        return journeys(workspace, segmentIds, List.of(from, to)).get(0);
    }

    /** The longest series {@link #journeys} evaluates in one pass. */
    public static final int MAX_PERIODS = 60;

    /**
     * The journey of every period between consecutive instants of {@code boundaries} (2 to {@value #MAX_PERIODS} + 1,
     * in order, none in the future): each profile's facts are read once and its stage taken at every boundary, so a
     * year of months costs one pass over the profiles.
     */
    public List<Journey> journeys(String workspace, List<String> segmentIds, List<Instant> boundaries) {
        JourneyPlan plan = plan(workspace, segmentIds, boundaries);
        List<Condition> stages = plan.stages().stream().map(Segment::condition).toList();
        long[][][] counts = new long[plan.instants().size() - 1][stages.size() + 1][stages.size() + 1];
        Scan scan = scanActive(workspace, PointInTime.inputs(stages, plan.instants().get(0)),
                facts -> countStages(counts, stages, plan.instants(), facts));
        return journeysOf(segmentIds, plan.instants(), counts, scan.evaluated(), scan.complete());
    }

    /** The stages' segments and the checked instants of a journey series. */
    record JourneyPlan(List<Segment> stages, List<Instant> instants) {
    }

    /** Checks a series' stages (1 to 20 distinct segments of the workspace) and instants (in order, none in the future). */
    JourneyPlan plan(String workspace, List<String> segmentIds, List<Instant> boundaries) {
        if (segmentIds == null || segmentIds.isEmpty() || segmentIds.size() > 20
                || Set.copyOf(segmentIds).size() != segmentIds.size()) {
            throw new InvalidInput("name 1 to 20 stages, each once",
                    List.of(new FieldError("/segments", "1 to 20 distinct segment ids")));
        }
        if (boundaries.size() < 2 || boundaries.size() > MAX_PERIODS + 1) {
            throw new InvalidInput("a journey needs 2 to " + (MAX_PERIODS + 1) + " instants",
                    List.of(new FieldError("/to", "1 to " + MAX_PERIODS + " periods")));
        }
        List<Instant> instants = new ArrayList<>();
        for (Instant boundary : boundaries) {
            instants.add(pastOrNow(boundary, instants.isEmpty() ? "/from" : "/to"));
            if (instants.size() > 1 && instants.get(instants.size() - 1).isBefore(instants.get(instants.size() - 2))) {
                throw new InvalidInput("'to' is before 'from'", List.of(new FieldError("/to", "must not be before 'from'")));
            }
        }
        return new JourneyPlan(segmentIds.stream().map(id -> segment(workspace, id)).toList(), instants);
    }

    /** Adds one profile to the counts: its stage at every instant, period by period (none to none is not counted). */
    static void countStages(long[][][] counts, List<Condition> stages, List<Instant> instants, ProfileFacts facts) {
        int none = stages.size();
        int previous = stageAt(stages, PointInTime.at(facts, instants.get(0)), instants.get(0));
        for (int i = 1; i < instants.size(); i++) {
            int stage = stageAt(stages, PointInTime.at(facts, instants.get(i)), instants.get(i));
            if (previous != none || stage != none) {
                counts[i - 1][previous][stage]++;
            }
            previous = stage;
        }
    }

    static List<Journey> journeysOf(List<String> segmentIds, List<Instant> instants, long[][][] counts, long evaluated,
                                    boolean complete) {
        List<String> names = new ArrayList<>(segmentIds);
        names.add("none");
        List<Journey> journeys = new ArrayList<>();
        for (int i = 1; i < instants.size(); i++) {
            journeys.add(new Journey(instants.get(i - 1), instants.get(i), names, counts[i - 1], evaluated, complete));
        }
        return journeys;
    }

    private static int stageAt(List<Condition> stages, ProfileFacts facts, Instant at) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).matches(facts, at)) {
                return i;
            }
        }
        return stages.size();
    }

    private Instant pastOrNow(Instant at, String pointer) {
        Instant now = clock.instant();
        if (at == null) {
            return now;
        }
        if (at.isAfter(now)) {
            throw new InvalidInput("the instant is in the future", List.of(new FieldError(pointer,
                    "an instant up to now; the future is not known yet")));
        }
        return at;
    }

    private Segment segment(String workspace, String segmentId) {
        return segments.find(workspace, segmentId)
                .orElseThrow(() -> new NotFound("no segment " + segmentId + " in this workspace"));
    }
}
