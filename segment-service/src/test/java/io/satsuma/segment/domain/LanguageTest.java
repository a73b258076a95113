package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every operator and aggregate of the condition language, on the JSON a marketer would write. */
class LanguageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void textOperators() throws Exception {
        ProfileFacts ann = ConditionTest.aProfile().withTrait("email", "ann@shop.example").withTrait("tier", "silver").build();

        assertThat(holds("{\"trait\":\"email\",\"op\":\"ends_with\",\"value\":\"@shop.example\"}", ann)).isTrue();
        assertThat(holds("{\"trait\":\"email\",\"op\":\"starts_with\",\"value\":\"bob\"}", ann)).isFalse();
        assertThat(holds("{\"trait\":\"email\",\"op\":\"matches\",\"value\":\"^[a-z]+@\"}", ann)).isTrue();
        assertThat(holds("{\"trait\":\"tier\",\"op\":\"not_in\",\"value\":[\"gold\",\"platinum\"]}", ann)).isTrue();
        assertThat(holds("{\"trait\":\"tier\",\"op\":\"in\",\"value\":[\"gold\",\"platinum\"]}", ann)).isFalse();
        assertThat(holds("{\"trait\":\"nickname\",\"op\":\"missing\"}", ann)).isTrue();
    }

    @Test
    void betweenIsInclusiveForNumbersAndTimestamps() throws Exception {
        ProfileFacts p = ConditionTest.aProfile().withTrait("age", 30).withTrait("signed_up_at", "2026-01-15T00:00:00Z").build();

        assertThat(holds("{\"trait\":\"age\",\"op\":\"between\",\"value\":[30,40]}", p)).isTrue();
        assertThat(holds("{\"trait\":\"age\",\"op\":\"between\",\"value\":[31,40]}", p)).isFalse();
        assertThat(holds("{\"trait\":\"signed_up_at\",\"op\":\"between\",\"value\":[\"2026-01-01\",\"2026-01-31\"]}", p)).isTrue();
        assertThat(holds("{\"trait\":\"signed_up_at\",\"op\":\"gt\",\"value\":\"2026-02-01T00:00:00+01:00\"}", p)).isFalse();
    }

    @Test
    void relativeDatesMoveWithTheClockAndScheduleTheirFlip() throws Exception {
        Instant signedUp = NOW.minus(Duration.ofDays(20));
        ProfileFacts p = ConditionTest.aProfile().withTrait("signed_up_at", signedUp.toString()).build();
        Condition veteran = parse("{\"trait\":\"signed_up_at\",\"op\":\"older_than\",\"value\":\"P30D\"}");
        Condition newcomer = parse("{\"trait\":\"signed_up_at\",\"op\":\"within_last\",\"value\":\"P30D\"}");

        assertThat(veteran.matches(p, NOW)).isFalse();
        assertThat(newcomer.matches(p, NOW)).isTrue();
        assertThat(veteran.nextFlip(p, NOW)).contains(signedUp.plus(Duration.ofDays(30)));
        assertThat(newcomer.nextFlip(p, NOW)).contains(signedUp.plus(Duration.ofDays(30)));
        assertThat(veteran.matches(p, signedUp.plus(Duration.ofDays(30)))).isTrue();
    }

    @Test
    void aggregatesOverFilteredEvents() throws Exception {
        ProfileFacts p = ConditionTest.aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(1)), Map.of("revenue", 10, "currency", "EUR", "category", "shoes"))
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(2)), Map.of("revenue", 30, "currency", "EUR", "category", "hats"))
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(3)), Map.of("revenue", 500, "currency", "USD", "category", "shoes"))
                .build();
        String eur = ",\"where\":[{\"property\":\"currency\",\"op\":\"eq\",\"value\":\"EUR\"}]";

        assertThat(observed("{\"event\":\"Order Completed\",\"aggregate\":\"avg\",\"property\":\"revenue\",\"within\":\"P7D\"" + eur
                + ",\"op\":\"eq\",\"value\":20}", p)).isEqualByComparingTo("20");
        assertThat(observed("{\"event\":\"Order Completed\",\"aggregate\":\"max\",\"property\":\"revenue\",\"within\":\"P7D\""
                + ",\"op\":\"gt\",\"value\":0}", p)).isEqualByComparingTo("500");
        assertThat(observed("{\"event\":\"Order Completed\",\"aggregate\":\"min\",\"property\":\"revenue\",\"within\":\"P7D\"" + eur
                + ",\"op\":\"gt\",\"value\":0}", p)).isEqualByComparingTo("10");
        assertThat(observed("{\"event\":\"Order Completed\",\"aggregate\":\"distinct\",\"property\":\"category\",\"within\":\"P7D\""
                + ",\"op\":\"gte\",\"value\":2}", p)).isEqualByComparingTo("2");
        assertThat(holds("{\"event\":\"Order Completed\",\"aggregate\":\"count\",\"within\":\"P7D\",\"where\":["
                + "{\"property\":\"category\",\"op\":\"eq\",\"value\":\"shoes\"},{\"property\":\"revenue\",\"op\":\"lt\",\"value\":100}]"
                + ",\"op\":\"eq\",\"value\":1}", p)).isTrue();
        assertThat(holds("{\"event\":\"Refund\",\"aggregate\":\"avg\",\"property\":\"amount\",\"within\":\"P7D\",\"op\":\"lt\",\"value\":5}", p))
                .as("avg of no events is undefined and never matches").isFalse();
    }

    @Test
    void didNotDoAndAbsoluteRanges() throws Exception {
        ProfileFacts p = ConditionTest.aProfile()
                .withEvent("Order Completed", Instant.parse("2026-11-10T09:00:00Z"), Map.of("revenue", 80))
                .build();

        assertThat(holds("{\"not\":{\"event\":\"Order Completed\",\"within\":\"P7D\",\"op\":\"gte\",\"value\":1}}", p)).isTrue();
        assertThat(holds("{\"event\":\"Order Completed\",\"within\":\"P7D\",\"op\":\"eq\",\"value\":0}", p)).isTrue();
        assertThat(holds("{\"event\":\"Order Completed\",\"aggregate\":\"sum\",\"property\":\"revenue\","
                + "\"from\":\"2026-11-01T00:00:00Z\",\"to\":\"2026-12-01T00:00:00Z\",\"op\":\"between\",\"value\":[50,100]}", p)).isTrue();
        assertThat(holds("{\"event\":\"Order Completed\",\"from\":\"2026-11-10T09:00:01Z\",\"to\":\"2026-12-01T00:00:00Z\","
                + "\"op\":\"gte\",\"value\":1}", p)).isFalse();
    }

    @Test
    void firstAndLastOccurrences() throws Exception {
        Instant lastOrder = NOW.minus(Duration.ofDays(20));
        ProfileFacts p = ConditionTest.aProfile()
                .withEvent("Order Completed", NOW.minus(Duration.ofDays(200)), Map.of())
                .withEvent("Order Completed", lastOrder, Map.of()).build();
        Condition lapsing = parse("""
                {"event":"Order Completed","aggregate":"last","within":"P400D","op":"older_than","value":"P30D"}""");
        Condition longTime = parse("""
                {"event":"Order Completed","aggregate":"first","within":"P400D","op":"older_than","value":"P180D"}""");

        assertThat(lapsing.matches(p, NOW)).isFalse();
        assertThat(lapsing.nextFlip(p, NOW)).contains(lastOrder.plus(Duration.ofDays(30)));
        assertThat(longTime.matches(p, NOW)).isTrue();
        assertThat(holds("{\"event\":\"Order Completed\",\"aggregate\":\"last\",\"within\":\"P7D\",\"op\":\"missing\"}", p))
                .isTrue();
    }

    @Test
    void sequencesFollowedAndNotFollowed() throws Exception {
        Instant added = NOW.minus(Duration.ofMinutes(90));
        ProfileFacts abandoned = ConditionTest.aProfile().withEvent("Product Added", added, Map.of("sku", "A")).build();
        ProfileFacts bought = ConditionTest.aProfile().withEvent("Product Added", added, Map.of("sku", "A"))
                .withEvent("Order Completed", added.plus(Duration.ofMinutes(20)), Map.of()).build();
        ProfileFacts justAdded = ConditionTest.aProfile().withEvent("Product Added", NOW.minus(Duration.ofMinutes(10)), Map.of()).build();
        Condition cartAbandoned = parse("""
                {"sequence":[{"event":"Product Added"},{"event":"Order Completed"}],
                 "op":"not_followed_by","within":"PT1H","during":"P7D"}""");
        Condition converted = parse("""
                {"sequence":[{"event":"Product Added","where":[{"property":"sku","op":"eq","value":"A"}]},{"event":"Order Completed"}],
                 "op":"followed_by","within":"PT1H","during":"P7D"}""");

        assertThat(cartAbandoned.matches(abandoned, NOW)).isTrue();
        assertThat(cartAbandoned.matches(bought, NOW)).isFalse();
        assertThat(cartAbandoned.matches(justAdded, NOW)).as("the hour is not over yet").isFalse();
        assertThat(cartAbandoned.nextFlip(justAdded, NOW)).contains(NOW.minus(Duration.ofMinutes(10)).plus(Duration.ofHours(1)));
        assertThat(converted.matches(bought, NOW)).isTrue();
        assertThat(converted.matches(abandoned, NOW)).isFalse();
    }

    @Test
    void invalidOperandsArePointedAt() throws Exception {
        List<ConditionError> errors = ConditionParser.parse(JSON.readTree("""
                {"all":[
                  {"trait":"email","op":"matches","value":"(unclosed"},
                  {"trait":"age","op":"between","value":[1]},
                  {"trait":"signed_up_at","op":"older_than","value":"a month"},
                  {"event":"Order Completed","within":"P1D","from":"2026-01-01T00:00:00Z","op":"gte","value":1},
                  {"event":"Order Completed","aggregate":"max","within":"P1D","op":"gt","value":1,
                   "where":[{"property":"ts","op":"older_than","value":"P1D"}]},
                  {"event":"Order Completed","from":"2026-02-01T00:00:00Z","to":"2026-01-01T00:00:00Z","op":"gte","value":1}]}""")).errors();

        assertThat(errors).extracting(ConditionError::pointer).containsExactlyInAnyOrder(
                "/all/0/value", "/all/1/value", "/all/2/value", "/all/3/within", "/all/4/property",
                "/all/4/where/0/op", "/all/5/to");
    }

    private static boolean holds(String json, ProfileFacts facts) throws Exception {
        return parse(json).matches(facts, NOW);
    }

    private static BigDecimal observed(String json, ProfileFacts facts) throws Exception {
        return ((Condition.EventAggregate) parse(json)).observe(facts, NOW);
    }

    static Condition parse(String json) throws Exception {
        ConditionParser.Result result = ConditionParser.parse(JSON.readTree(json));
        assertThat(result.errors()).isEmpty();
        return result.condition();
    }
}
