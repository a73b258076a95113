package io.satsuma.insights.application;

import io.satsuma.insights.domain.ModelFit;
import io.satsuma.insights.domain.ModelFits;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.predictive.CustomerValue;
import io.satsuma.predictive.GammaGamma;
import io.satsuma.support.failure.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A profile's predictions from the workspace's current fit and its own orders, as of a day (today by default):
 * computed on request in closed form, never stored, so they change as time passes without new orders.
 */
@ApplicationScoped
public class PredictCustomers {
    private final ModelFits fits;
    private final Clock clock;

    PredictCustomers(ModelFits fits, Clock clock) {
        this.fits = fits;
        this.clock = clock;
    }

    /** The predictions, the fit they come from and the customer as the models saw them. */
    public record Predictions(String profileId, long modelVersion, LocalDate asOf, Customer customer, double pAlive,
                              double expectedOrders30Days, double expectedOrders90Days, double expectedOrders365Days,
                              double orderProbability30Days, double orderProbability90Days, double expectedOrderValue,
                              double value365Days) {
    }

    public Predictions predict(String workspace, String profileId, LocalDate asOf) {
        LocalDate day = asOf == null ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) : asOf;
        ModelFit fit = fits.current(workspace).orElseThrow(() -> new NotFound(
                "no model has been fitted for this workspace yet: POST /v1/models/fits"));
        Customer customer = FitModels.customer(fits.ordersOf(workspace, profileId,
                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()), day, fit.unitDays());
        if (customer == null) {
            throw new NotFound("profile " + profileId + " has no order up to " + day
                    + ": the models predict for customers, from their first order on");
        }
        BgNbd purchases = fit.bgnbd().model();
        GammaGamma spend = fit.gammaGamma().model();
        double week = fit.unitDays();
        return new Predictions(profileId, fit.version(), day, customer, purchases.pAlive(customer),
                purchases.expectedPurchases(customer, 30 / week), purchases.expectedPurchases(customer, 90 / week),
                purchases.expectedPurchases(customer, 365 / week), purchases.probabilityOfPurchase(customer, 30 / week),
                purchases.probabilityOfPurchase(customer, 90 / week), spend.expectedValue(customer),
                CustomerValue.expected(purchases, spend, customer, 365 / week,
                        CustomerValue.discountPerUnit(CustomerValue.YEARLY_DISCOUNT, fit.unitDays())));
    }
}
