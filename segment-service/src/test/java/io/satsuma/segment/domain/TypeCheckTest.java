package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TypeCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Map<String, Set<String>>> EVENTS = Map.of(
            "Order Completed", Map.of("revenue", Set.of("number"), "coupon", Set.of("string")));
    private static final Map<String, Set<String>> TRAITS = Map.of("vip", Set.of("boolean"), "plan", Set.of("string"));

    @Test
    void unknownNamesAreWarningsAndTypeMismatchesAreErrors() throws Exception {
        TypeCheck.Findings findings = check("""
                {"all":[
                  {"event":"Order Completed","aggregate":"sum","property":"revenue","within":"P30D","op":"gt","value":1},
                  {"event":"Order Completed","aggregate":"sum","property":"coupon","within":"P30D","op":"gt","value":1},
                  {"event":"Order Completed","aggregate":"avg","property":"tax","within":"P30D","op":"gt","value":1},
                  {"event":"Refund Issued","within":"P30D","op":"gte","value":1},
                  {"trait":"vip","op":"gt","value":1},
                  {"trait":"vip","op":"eq","value":true},
                  {"trait":"loyalty_tier","op":"exists"},
                  {"trait":"$profile.orderCount","op":"gte","value":1}]}""");

        assertThat(findings.errors()).extracting(ConditionError::pointer).containsExactlyInAnyOrder("/all/1/property", "/all/4/op");
        assertThat(findings.warnings()).extracting(ConditionError::pointer)
                .containsExactlyInAnyOrder("/all/2/property", "/all/3/event", "/all/6/trait");
        assertThat(findings.errors().get(0).message()).contains("only been seen as string");
    }

    private static TypeCheck.Findings check(String json) throws Exception {
        Condition condition = ConditionParser.parse(JSON.readTree(json)).condition();
        return TypeCheck.check(TypeCheck.locate(condition), EVENTS, TRAITS);
    }
}
