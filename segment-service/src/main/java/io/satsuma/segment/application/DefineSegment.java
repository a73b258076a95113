package io.satsuma.segment.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.satsuma.segment.domain.Catalog;
import io.satsuma.segment.domain.ConditionError;
import io.satsuma.segment.domain.ConditionParser;
import io.satsuma.segment.domain.Holdouts;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentGraph;
import io.satsuma.segment.domain.Segments;
import io.satsuma.segment.domain.TypeCheck;
import io.satsuma.support.failure.Conflict;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Creates, edits and deletes segment definitions. A definition is validated whole before anything
 * is stored; every edit is a new version; a new or edited segment is then evaluated over all
 * profiles by a {@link BackfillSegment} job recorded in the same transaction.
 */
@ApplicationScoped
public class DefineSegment {
    private final Segments segments;
    private final EvaluateMembership evaluate;
    private final BackfillSegment backfill;
    private final Catalog catalog;
    private final SegmentDirectory directory;
    private final MembershipCacheRefresh cacheRefresh;
    private final Clock clock;

    DefineSegment(Segments segments, EvaluateMembership evaluate, BackfillSegment backfill, Catalog catalog,
                  SegmentDirectory directory, MembershipCacheRefresh cacheRefresh, Clock clock) {
        this.segments = segments;
        this.catalog = catalog;
        this.evaluate = evaluate;
        this.backfill = backfill;
        this.directory = directory;
        this.cacheRefresh = cacheRefresh;
        this.clock = clock;
    }

    /** A saved definition, with warnings about names the workspace has not seen yet. */
    public record Saved(Segment segment, List<ConditionError> warnings) {
    }

    /** What a client defines: everything but identity, version and times. */
    public record Definition(String name, String description, JsonNode condition, BigDecimal holdoutPercent,
                             String exclusionGroup, Integer groupPriority) {
    }

    @Transactional
    public Saved create(String workspace, Definition definition) {
        segments.lockForChange(workspace);
        List<ConditionError> warnings = new ArrayList<>();
        Segment segment = validated(workspace, UUID.randomUUID().toString(), definition, 1, null, warnings);
        segments.add(segment);
        backfill.start(segment);
        directory.forgetAfterCommit(workspace);
        return new Saved(segment, warnings);
    }

    @Transactional
    public Saved update(String workspace, String segmentId, Definition definition) {
        // Cancel first: a running page holds its job row while it evaluates under the definitions lock.
        backfill.cancel(workspace, segmentId);
        segments.lockForChange(workspace);
        Segment existing = find(workspace, segmentId);
        List<ConditionError> warnings = new ArrayList<>();
        Segment segment = validated(workspace, segmentId, definition, existing.version() + 1, existing.createdAt(),
                warnings);
        segments.update(segment);
        backfill.start(segment);
        directory.forgetAfterCommit(workspace);
        return new Saved(segment, warnings);
    }

    /** Deletes the segment; its members exit (and the exits are published). Returns the exited profiles. */
    @Transactional
    public List<String> delete(String workspace, String segmentId) {
        backfill.cancel(workspace, segmentId);
        segments.lockForChange(workspace);
        Segment segment = find(workspace, segmentId);
        List<String> dependents = segments.list(workspace).stream()
                .filter(s -> SegmentGraph.references(s.condition()).contains(segmentId)).map(Segment::name).toList();
        if (!dependents.isEmpty()) {
            throw new Conflict("segment '" + segment.name() + "' is referenced by " + dependents
                    + "; change or delete those first");
        }
        segments.markDeleted(workspace, segmentId, clock.instant());
        List<String> exited = evaluate.exitAll(workspace, segment, "segment deleted");
        directory.forgetAfterCommit(workspace);
        cacheRefresh.memberships(workspace, exited);
        return exited;
    }

    public Segment find(String workspace, String segmentId) {
        return segments.find(workspace, segmentId)
                .orElseThrow(() -> new NotFound("no segment " + segmentId + " in this workspace"));
    }

    /** The saved versions of a segment, oldest first (edits never lose what it used to mean). */
    public List<Segments.Version> versions(String workspace, String segmentId) {
        List<Segments.Version> versions = segments.versions(workspace, segmentId);
        if (versions.isEmpty()) {
            throw new NotFound("no segment " + segmentId + " in this workspace");
        }
        return versions;
    }

    public List<Segment> list(String workspace) {
        return segments.list(workspace);
    }

    /** Referenced segments must exist in the workspace, and the reference graph must stay acyclic. */
    private void checkReferences(String workspace, String id, ConditionParser.Result parsed,
                                 List<FieldError> errors) {
        Map<String, Set<String>> others = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Segment other : segments.list(workspace)) {
            if (!other.id().equals(id)) {
                others.put(other.id(), SegmentGraph.references(other.condition()));
                names.put(other.id(), other.name());
            }
        }
        parsed.references().forEach((referenced, pointer) -> {
            if (!others.containsKey(referenced) && !referenced.equals(id)) {
                errors.add(new FieldError("/condition" + pointer, "no segment " + referenced + " in this workspace"));
            }
        });
        SegmentGraph.cycle(id, parsed.references().keySet(), others).ifPresent(cycle -> errors.add(
                new FieldError("/condition" + parsed.references().get(cycle.get(1)),
                        "would create a cycle: " + String.join(" → ", cycle.stream()
                                .map(s -> names.getOrDefault(s, s.equals(id) ? "this segment" : s)).toList()))));
    }

    private Segment validated(String workspace, String id, Definition definition, long version, Instant createdAt,
                              List<ConditionError> warnings) {
        String name = definition.name();
        JsonNode condition = definition.condition();
        BigDecimal holdoutPercent = definition.holdoutPercent();
        List<FieldError> errors = new ArrayList<>();
        String group = definition.exclusionGroup() == null || definition.exclusionGroup().isBlank()
                ? null : definition.exclusionGroup().strip();
        if (group != null && group.length() > 100) {
            errors.add(new FieldError("/exclusionGroup", "at most 100 characters"));
        }
        if (group != null && (definition.groupPriority() == null || definition.groupPriority() < 1
                || definition.groupPriority() > 1000)) {
            errors.add(new FieldError("/groupPriority",
                    "a segment in an exclusion group needs a priority from 1 (first) to 1000"));
        }
        BigDecimal holdout = holdoutPercent == null ? BigDecimal.ZERO : holdoutPercent;
        if (holdout.signum() < 0 || holdout.compareTo(Holdouts.MAX_PERCENT) > 0 || holdout.scale() > 2) {
            errors.add(new FieldError("/holdoutPercent",
                    "a percentage from 0 to " + Holdouts.MAX_PERCENT + " with at most two decimals"));
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            errors.add(new FieldError("/name", "required, 1 to 200 characters"));
        }
        ConditionParser.Result parsed = null;
        if (condition == null || condition.isNull()) {
            errors.add(new FieldError("/condition", "required"));
        } else {
            parsed = ConditionParser.parse(condition);
            parsed.errors().forEach(e -> errors.add(new FieldError("/condition" + e.pointer(), e.message())));
        }
        if (parsed != null && parsed.valid() && !parsed.references().isEmpty()) {
            checkReferences(workspace, id, parsed, errors);
        }
        if (parsed != null && parsed.valid()) {
            List<TypeCheck.Located> nodes = TypeCheck.locate(parsed.condition());
            TypeCheck.Findings findings = TypeCheck.check(nodes,
                    catalog.events(workspace, TypeCheck.eventNames(nodes)), catalog.traits(workspace, TypeCheck.traitNames(nodes)));
            findings.errors().forEach(e -> errors.add(new FieldError("/condition" + e.pointer(), e.message())));
            findings.warnings().forEach(w -> warnings.add(new ConditionError("/condition" + w.pointer(), w.message())));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("the segment definition is invalid; nothing was saved", errors);
        }
        if (segments.nameTaken(workspace, name.strip(), id)) {
            throw new Conflict("a segment named '" + name.strip() + "' already exists in this workspace");
        }
        Instant now = clock.instant();
        return new Segment(id, workspace, name.strip(), definition.description(), condition, parsed.condition(), holdout,
                group, group == null ? null : definition.groupPriority(), version, createdAt == null ? now : createdAt, now);
    }
}
