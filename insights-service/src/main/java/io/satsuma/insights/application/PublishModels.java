package io.satsuma.insights.application;

import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.model.v1.ModelsFitted;
import io.satsuma.insights.domain.ModelFit;
import io.satsuma.insights.domain.ModelFits;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.support.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Records a fit as done and announces the workspace's current models on {@code satsuma.models.v1} in the same
 * transaction (the outbox), so that segment-service scores {@code $predicted.*} with exactly the fit the API shows.
 * The current models are the highest version done: a fit that finishes after a newer one re-announces the newer.
 */
@ApplicationScoped
public class PublishModels {
    private final ModelFits fits;
    private final Outbox outbox;

    PublishModels(ModelFits fits, Outbox outbox) {
        this.fits = fits;
        this.outbox = outbox;
    }

    @Transactional
    public void done(ModelFit fit, long customers, BgNbd.Fit purchases, GammaGamma.Fit spend, long fitMillis, Instant at) {
        fits.done(fit.id(), customers, purchases, spend, fitMillis, at);
        ModelFit current = fits.current(fit.workspace()).orElseThrow();
        outbox.append(Topic.MODELS.topicName(), current.workspace(), CloudEvents.TYPE_MODELS_FITTED, current.workspace(), at,
                announcement(current));
    }

    static ModelsFitted announcement(ModelFit fit) {
        BgNbd b = fit.bgnbd().model();
        GammaGamma g = fit.gammaGamma().model();
        return new ModelsFitted(fit.workspace(), fit.version(), fit.unitDays(), fit.calibrationEnd(),
                Math.toIntExact(fit.customers()),
                new ModelsFitted.BgNbd(b.r(), b.alpha(), b.a(), b.b(), fit.bgnbd().logLikelihood()),
                new ModelsFitted.GammaGamma(g.p(), g.q(), g.gamma(), fit.gammaGamma().logLikelihood()), fit.finishedAt());
    }
}
