package io.satsuma.segment.application;

import io.satsuma.contracts.model.v1.ModelsFitted;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.segment.domain.PredictiveModelStore;
import io.satsuma.segment.domain.PredictiveModels;
import io.satsuma.segment.domain.Segment;
import io.satsuma.segment.domain.SegmentGraph;
import io.satsuma.segment.domain.Segments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Takes a workspace's newly fitted models (ADR 016): stores them if newer than the ones held, makes the workspace's
 * segments use them from now on (a new definitions version, as an edit would), and re-evaluates every segment that
 * reads an order-based {@code $predicted.*} trait over all profiles — a backfill job each, in the same transaction —
 * since a new fit can move any customer across a threshold. Idempotent: an announcement seen again changes nothing.
 */
@ApplicationScoped
public class ApplyModels {
    private static final Logger LOG = Logger.getLogger(ApplyModels.class);

    private final PredictiveModelStore models;
    private final Segments segments;
    private final BackfillSegment backfill;
    private final Clock clock;

    ApplyModels(PredictiveModelStore models, Segments segments, BackfillSegment backfill, Clock clock) {
        this.models = models;
        this.segments = segments;
        this.backfill = backfill;
        this.clock = clock;
    }

    @Transactional
    public void apply(List<ModelsFitted> announcements) {
        Map<String, ModelsFitted> newest = new LinkedHashMap<>();
        announcements.forEach(a -> newest.merge(a.workspace(), a, (x, y) -> y.version() > x.version() ? y : x));
        for (ModelsFitted fitted : newest.values()) {
            if (!models.replaceIfNewer(fitted.workspace(), models(fitted), fitted.customers(), clock.instant())) {
                continue;
            }
            String workspace = fitted.workspace();
            // Running backfills of the readers are stopped before the definitions lock is taken, as an edit does.
            List<Segment> readers = readers(workspace);
            readers.forEach(s -> backfill.cancel(workspace, s.id()));
            segments.lockForChange(workspace);
            List<Segment> current = readers(workspace);
            current.forEach(backfill::start);
            LOG.infof("predictive models v%d taken; %d segments re-evaluated with them", fitted.version(), current.size());
        }
    }

    private List<Segment> readers(String workspace) {
        return segments.list(workspace).stream().filter(s -> SegmentGraph.readsModels(s.condition())).toList();
    }

    static PredictiveModels models(ModelsFitted fitted) {
        ModelsFitted.BgNbd b = fitted.bgnbd();
        ModelsFitted.GammaGamma g = fitted.gammaGamma();
        return new PredictiveModels(fitted.version(), new BgNbd(b.r(), b.alpha(), b.a(), b.b()),
                new GammaGamma(g.p(), g.q(), g.gamma()), fitted.unitDays(), fitted.calibrationEnd(), fitted.fittedAt());
    }
}
