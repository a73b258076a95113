package io.satsuma.segment.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConditionParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachErrorPointsAtItsNode() throws Exception {
        ConditionParser.Result result = ConditionParser.parse(JSON.readTree("""
                {"any":[
                  {"trait":"plan","op":"eq"},
                  {"not":{"event":"Order Completed","within":"thirty days","op":"gte","value":1}},
                  {"event":"Order Completed","aggregate":"median","within":"P1D","op":"contains","value":"x"},
                  {"shape":"round"}]}"""));

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).extracting(ConditionError::pointer).containsExactlyInAnyOrder(
                "/any/0/value", "/any/1/not/within", "/any/2/aggregate", "/any/2/op", "/any/3");
    }

    @Test
    void windowsLongerThanTheEventRetentionAreRefused() throws Exception {
        ConditionParser.Result result = ConditionParser.parse(JSON.readTree(
                "{\"event\":\"X\",\"within\":\"P401D\",\"op\":\"gte\",\"value\":1}"));

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.pointer()).isEqualTo("/within");
            assertThat(e.message()).contains("400 days");
        });
    }

    @Test
    void depthIsLimited() throws Exception {
        String json = "{\"trait\":\"a\",\"op\":\"exists\"}";
        for (int i = 0; i < ConditionParser.MAX_DEPTH; i++) {
            json = "{\"not\":" + json + "}";
        }
        assertThat(ConditionParser.parse(JSON.readTree(json)).errors())
                .anySatisfy(e -> assertThat(e.message()).contains("levels deep"));
    }

    @Test
    void emptyCombinatorsAreRefused() throws Exception {
        assertThat(ConditionParser.parse(JSON.readTree("{\"all\":[]}")).errors())
                .extracting(ConditionError::pointer).containsExactly("/all");
    }
}
