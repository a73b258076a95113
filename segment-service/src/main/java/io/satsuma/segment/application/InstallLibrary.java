package io.satsuma.segment.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.segment.domain.ConditionError;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentLibrary;
import io.satsuma.segment.domain.Segments;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Installs the pre-built segments into a workspace, all or nothing; ones already there (by name) are kept. */
@ApplicationScoped
public class InstallLibrary {
    private final DefineSegment define;
    private final Segments segments;
    private final ObjectMapper json;

    InstallLibrary(DefineSegment define, Segments segments, ObjectMapper json) {
        this.define = define;
        this.segments = segments;
        this.json = json;
    }

    /** What an install did: segments it created, and names it skipped because they exist. */
    public record Installed(List<Segment> created, List<String> skipped) {
    }

    @Transactional
    public Installed install(String workspace, Map<String, Integer> overrides) {
        List<ConditionError> errors = new ArrayList<>();
        Map<String, Integer> parameters = SegmentLibrary.parameters(overrides, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInput("invalid library parameters; nothing was installed", errors.stream()
                    .map(e -> new FieldError(e.pointer(), e.message())).toList());
        }
        List<Segment> created = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SegmentLibrary.Template template : SegmentLibrary.TEMPLATES) {
            if (segments.nameTaken(workspace, template.name(), null)) {
                skipped.add(template.name());
                continue;
            }
            try {
                created.add(define.create(workspace, new DefineSegment.Definition(template.name(),
                        SegmentLibrary.describe(template, parameters), json.readTree(template.condition(parameters)),
                        BigDecimal.ZERO, template.exclusionGroup(), template.priority())).segment());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("library template " + template.name() + " is not valid JSON", e);
            }
        }
        return new Installed(created, skipped);
    }
}
