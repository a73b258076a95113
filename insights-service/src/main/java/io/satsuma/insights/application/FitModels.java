package io.satsuma.insights.application;

import io.satsuma.insights.domain.ModelFit;
import io.satsuma.insights.domain.ModelFits;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.predictive.Purchases;
import io.satsuma.predictive.TooLittleData;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Fits a workspace's predictive models (ADR 016) as a job: requested on demand or by the daily schedule, taken by
 * one runner (a crashed runner's fit is taken again after {@link #STALE}), fitted over every profile's orders up to
 * the calibration end, and stored as the workspace's next version — DONE with the parameters, their
 * log-likelihood, the sample and the time it took, or REFUSED with the reason when the data is too thin.
 */
@ApplicationScoped
public class FitModels {
    private static final Logger LOG = Logger.getLogger(FitModels.class);
    static final int PAGE = 5_000;
    static final Duration STALE = Duration.ofMinutes(10);
    static final int HISTORY = 50;

    private final ModelFits fits;
    private final PublishModels publish;
    private final Event<FitRequested> requested;
    private final Clock clock;

    FitModels(ModelFits fits, PublishModels publish, Event<FitRequested> requested, Clock clock) {
        this.fits = fits;
        this.publish = publish;
        this.requested = requested;
        this.clock = clock;
    }

    /** Fired when a fit is requested, so that a runner can start it once the request has committed. */
    public record FitRequested(String fitId) {
    }

    /** Requests a fit over the orders up to and including {@code calibrationEnd} (today, UTC, when null). */
    @Transactional
    public ModelFit request(String workspace, LocalDate calibrationEnd) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate end = calibrationEnd == null ? today : calibrationEnd;
        if (end.isAfter(today)) {
            throw new InvalidInput("the calibration period cannot end in the future",
                    List.of(new FieldError("/calibrationEnd", "a day up to today (" + today + ")")));
        }
        ModelFit fit = fits.request(UUID.randomUUID().toString(), workspace, end, ModelFit.WEEKS, clock.instant());
        requested.fire(new FitRequested(fit.id()));
        return fit;
    }

    /** The daily refit: one request per workspace that has orders. */
    public void requestForEveryWorkspace() {
        for (String workspace : fits.workspacesWithOrders()) {
            request(workspace, null);
        }
    }

    /** Runs every waiting fit that this runner can claim. */
    public void runWaiting() {
        Instant staleBefore = clock.instant().minus(STALE);
        for (String id : fits.waiting(staleBefore)) {
            fits.claim(id, staleBefore, clock.instant()).ifPresent(this::run);
        }
    }

    private void run(ModelFit fit) {
        long started = System.nanoTime();
        List<Customer> customers = new ArrayList<>();
        try {
            Instant until = fit.calibrationEnd().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            String after = "";
            for (List<ModelFits.ProfileOrders> page = fits.ordersOfProfiles(fit.workspace(), until, after, PAGE);
                 !page.isEmpty(); page = fits.ordersOfProfiles(fit.workspace(), until, after, PAGE)) {
                for (ModelFits.ProfileOrders orders : page) {
                    customers.add(customer(orders, fit.calibrationEnd(), fit.unitDays()));
                }
                after = page.get(page.size() - 1).profileId();
            }
            BgNbd.Fit purchases = BgNbd.fit(customers);
            GammaGamma.Fit spend = GammaGamma.fit(customers);
            long millis = (System.nanoTime() - started) / 1_000_000;
            publish.done(fit, customers.size(), purchases, spend, millis, clock.instant());
            LOG.infof("models of workspace fitted (version %d): %d customers in %d ms", fit.version(), customers.size(), millis);
        } catch (TooLittleData e) {
            fits.refused(fit.id(), ModelFit.REFUSED, (long) customers.size(), e.getMessage(), clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf("model fit %s failed: %s", fit.id(), e.getMessage());
            fits.refused(fit.id(), ModelFit.FAILED, null, "the fit failed: " + e.getMessage(), clock.instant());
        }
    }

    /** A profile's orders as the models read them: its purchase days in UTC, same-day orders merged. */
    static Customer customer(ModelFits.ProfileOrders orders, LocalDate calibrationEnd, int unitDays) {
        List<Purchases.Purchase> purchases = new ArrayList<>();
        for (int i = 0; i < orders.at().size(); i++) {
            purchases.add(new Purchases.Purchase(LocalDate.ofInstant(orders.at().get(i), ZoneOffset.UTC),
                    orders.revenue().get(i)));
        }
        return Purchases.summarise(purchases, calibrationEnd, unitDays);
    }

    public ModelFit get(String workspace, String fitId) {
        return fits.find(workspace, fitId).orElseThrow(() -> new NotFound("no model fit " + fitId + " in this workspace"));
    }

    public Optional<ModelFit> current(String workspace) {
        return fits.current(workspace);
    }

    public List<ModelFit> history(String workspace) {
        return fits.history(workspace, HISTORY);
    }
}
