package io.satsuma.predictive;

/**
 * A customer's value over a horizon: the purchases BG/NBD expects in each period of the horizon, times the value
 * per purchase Gamma-Gamma expects, discounted per period (the usual way of combining the two, e.g. Fader, Hardie
 * and Lee 2005's "RFM and CLV" note). Periods are the unit the customer was summarised in.
 */
public final class CustomerValue {
    /** The yearly discount rate Satsuma values customers with (10 %), wherever a value is shown or compared. */
    public static final double YEARLY_DISCOUNT = 0.10;

    private CustomerValue() {
    }

    /** The discount rate per unit of {@code unitDays} days equivalent to {@code yearlyRate} (a 365-day year). */
    public static double discountPerUnit(double yearlyRate, int unitDays) {
        return Math.pow(1 + yearlyRate, unitDays / 365.0) - 1;
    }

    /**
     * @param horizon      how far ahead, in units (the last period may be a part of one)
     * @param discountRate per unit, e.g. 0.0018 a week for about 10 % a year; 0 for none
     */
    public static double expected(BgNbd purchases, GammaGamma spend, Customer customer, double horizon, double discountRate) {
        if (horizon < 0 || discountRate < 0) {
            throw new IllegalArgumentException("horizon and discount rate must not be negative");
        }
        double valuePerPurchase = spend.expectedValue(customer);
        double value = 0;
        double before = 0;
        double previous = 0; // the purchases expected by the end of the previous period: one evaluation per period
        int period = 0;
        for (double end = Math.min(1, horizon); before < horizon; end = Math.min(end + 1, horizon)) {
            period++;
            double cumulative = purchases.expectedPurchases(customer, end);
            value += (cumulative - previous) * valuePerPurchase / Math.pow(1 + discountRate, period);
            previous = cumulative;
            before = end;
        }
        return value;
    }
}
