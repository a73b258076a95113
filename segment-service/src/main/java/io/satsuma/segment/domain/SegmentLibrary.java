package io.satsuma.segment.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-built segments every workspace can install, with editable parameters. The lifecycle
 * segments form the exclusion group {@value #LIFECYCLE}: a customer is in at most one of them, the
 * first that matches in priority order (Churned, At Risk, Win-back, Loyal, Potential Loyal, One-time
 * Buyers). Conditions use the language of {@link ConditionParser}; {@code $profile.*} are the
 * profile's aggregates from profile-service.
 */
public final class SegmentLibrary {
    public static final String LIFECYCLE = "lifecycle";

    /** A parameter and its default. */
    public record Parameter(String name, int defaultValue, String meaning) {
    }

    /** A pre-built segment: its condition is a JSON template over the parameters ({@code {name}}). */
    public record Template(String name, String description, String conditionTemplate, String exclusionGroup,
                           Integer priority) {

        public String condition(Map<String, Integer> parameters) {
            String json = conditionTemplate;
            for (var p : parameters.entrySet()) {
                json = json.replace("{" + p.getKey() + "}", Integer.toString(p.getValue()));
            }
            return json;
        }
    }

    public static final List<Parameter> PARAMETERS = List.of(
            new Parameter("newVisitorDays", 7, "a visitor first seen this many days ago or less is new"),
            new Parameter("activeDays", 30, "a returning visitor was seen within this many days"),
            new Parameter("highValueRevenue", 500, "order revenue that makes a high-value customer"),
            new Parameter("highValueDays", 365, "over this many days"),
            new Parameter("cartHours", 1, "a cart left this many hours without an order is abandoned"),
            new Parameter("loyalOrders", 5, "orders within the purchase window that make a loyal customer"),
            new Parameter("purchaseWindowDays", 365, "the window for loyal and potential loyal"),
            new Parameter("atRiskDays", 90, "a buyer with no order for this many days is at risk"),
            new Parameter("churnDays", 180, "a buyer with no order for this many days has churned"),
            new Parameter("winBackDays", 30, "a lapsed buyer who ordered within this many days is won back"),
            new Parameter("lapseDays", 120, "no other order within this many days counts as a lapse"),
            new Parameter("slippingPercent", 30, "a customer whose P(alive) is below this many percent is slipping away"),
            new Parameter("likelyBuyDays", 30, "the period ahead for likely to buy soon"),
            new Parameter("likelyBuyPercent", 50, "P(at least one order in that period), in percent, that makes a likely buyer"));

    private static final String ORDER = "\"event\":\"Order Completed\"";

    public static final List<Template> TEMPLATES = List.of(
            new Template("Everyone", "Every known profile.", "{\"everyone\":true}", null, null),
            new Template("New Visitors", "First seen within {newVisitorDays} days and never ordered.",
                    "{\"all\":[{\"trait\":\"$profile.firstSeenAt\",\"op\":\"within_last\",\"value\":\"P{newVisitorDays}D\"},"
                            + "{\"trait\":\"$profile.orderCount\",\"op\":\"eq\",\"value\":0}]}", null, null),
            new Template("Returning Visitors", "First seen more than {newVisitorDays} days ago, seen again within {activeDays} days.",
                    "{\"all\":[{\"trait\":\"$profile.firstSeenAt\",\"op\":\"older_than\",\"value\":\"P{newVisitorDays}D\"},"
                            + "{\"trait\":\"$profile.lastSeenAt\",\"op\":\"within_last\",\"value\":\"P{activeDays}D\"}]}", null, null),
            new Template("High-Value Customers", "At least {highValueRevenue} in order revenue over {highValueDays} days.",
                    "{" + ORDER + ",\"aggregate\":\"sum\",\"property\":\"revenue\",\"within\":\"P{highValueDays}D\","
                            + "\"op\":\"gte\",\"value\":{highValueRevenue}}", null, null),
            new Template("Cart Abandoners", "Added to cart in the last day and no order within {cartHours} hour(s) after.",
                    "{\"sequence\":[{\"event\":\"Product Added\"},{" + ORDER + "}],\"op\":\"not_followed_by\","
                            + "\"within\":\"PT{cartHours}H\",\"during\":\"P1D\"}", null, null),
            new Template("Churned", "Has ordered, but not within {churnDays} days.",
                    "{\"all\":[{\"trait\":\"$profile.orderCount\",\"op\":\"gte\",\"value\":1},"
                            + "{\"not\":{" + ORDER + ",\"within\":\"P{churnDays}D\",\"op\":\"gte\",\"value\":1}}]}", LIFECYCLE, 1),
            new Template("At Risk", "Has ordered, but not within {atRiskDays} days.",
                    "{\"all\":[{\"trait\":\"$profile.orderCount\",\"op\":\"gte\",\"value\":1},"
                            + "{\"not\":{" + ORDER + ",\"within\":\"P{atRiskDays}D\",\"op\":\"gte\",\"value\":1}}]}", LIFECYCLE, 2),
            new Template("Win-back", "Ordered within {winBackDays} days after at least {lapseDays} days without an order.",
                    "{\"all\":[{" + ORDER + ",\"within\":\"P{winBackDays}D\",\"op\":\"gte\",\"value\":1},"
                            + "{\"trait\":\"$profile.orderCount\",\"op\":\"gte\",\"value\":2},"
                            + "{" + ORDER + ",\"within\":\"P{lapseDays}D\",\"op\":\"eq\",\"value\":1}]}", LIFECYCLE, 3),
            new Template("Loyal", "At least {loyalOrders} orders within {purchaseWindowDays} days.",
                    "{" + ORDER + ",\"within\":\"P{purchaseWindowDays}D\",\"op\":\"gte\",\"value\":{loyalOrders}}", LIFECYCLE, 4),
            new Template("Potential Loyal", "At least 2 orders within {purchaseWindowDays} days.",
                    "{" + ORDER + ",\"within\":\"P{purchaseWindowDays}D\",\"op\":\"gte\",\"value\":2}", LIFECYCLE, 5),
            new Template("One-time Buyers", "Exactly one order ever.",
                    "{\"trait\":\"$profile.orderCount\",\"op\":\"eq\",\"value\":1}", LIFECYCLE, 6),
            // The stage of last resort, so every buyer has one: e.g. back after more than a year, last order
            // 31-90 days ago (past Win-back, not yet At Risk, one order in the purchase window).
            new Template("Repeat Buyers", "At least 2 orders ever, in no other lifecycle stage.",
                    "{\"trait\":\"$profile.orderCount\",\"op\":\"gte\",\"value\":2}", LIFECYCLE, 7),
            // Predicted traits (ADR 016): they hold once the workspace's models are fitted. Percentages are written
            // as JSON numbers with an exponent ({slippingPercent}e-2 is 0.30) so that parameters stay whole numbers.
            new Template("Slipping Away", "At least {highValueRevenue} in order revenue to date, and P(alive) below {slippingPercent} %.",
                    "{\"all\":[{\"trait\":\"$profile.totalRevenue\",\"op\":\"gte\",\"value\":{highValueRevenue}},"
                            + "{\"trait\":\"$predicted.pAlive\",\"op\":\"lt\",\"value\":{slippingPercent}e-2}]}", null, null),
            new Template("Likely to Buy Soon", "P(at least one order in the next {likelyBuyDays} days) of {likelyBuyPercent} % or more.",
                    "{\"trait\":\"$predicted.orderProbability.P{likelyBuyDays}D\",\"op\":\"gte\",\"value\":{likelyBuyPercent}e-2}",
                    null, null));

    private SegmentLibrary() {
    }

    /** The defaults overridden by {@code overrides}; unknown names or non-positive values are errors. */
    public static Map<String, Integer> parameters(Map<String, Integer> overrides, List<ConditionError> errors) {
        Map<String, Integer> values = new LinkedHashMap<>();
        PARAMETERS.forEach(p -> values.put(p.name(), p.defaultValue()));
        if (overrides != null) {
            overrides.forEach((name, value) -> {
                if (!values.containsKey(name)) {
                    errors.add(new ConditionError("/parameters/" + name, "unknown parameter"));
                } else if (value == null || value < 1) {
                    errors.add(new ConditionError("/parameters/" + name, "must be a positive whole number"));
                } else {
                    values.put(name, value);
                }
            });
        }
        return values;
    }

    /** The description with its parameters filled in. */
    public static String describe(Template template, Map<String, Integer> parameters) {
        String text = template.description();
        for (var p : parameters.entrySet()) {
            text = text.replace("{" + p.getKey() + "}", Integer.toString(p.getValue()));
        }
        return text;
    }
}
