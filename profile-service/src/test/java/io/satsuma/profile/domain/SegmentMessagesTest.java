package io.satsuma.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SegmentMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-05-01T10:00:10Z");

    @Test
    void timestampIsCorrectedForTheClientsClockSkew() throws Exception {
        // The client's clock is 1 hour behind: it sent at 09:00:10 by its clock, we received at 10:00:10.
        SegmentMessages.Parsed parsed = parse("""
                {"type":"track","event":"Order Completed","userId":"u1","messageId":"m1",
                 "timestamp":"2026-05-01T09:00:00Z","sentAt":"2026-05-01T09:00:10Z"}""", null);

        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.event().timestamp()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(parsed.event().receivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void withoutATimestampTheEventHappenedWhenReceived() throws Exception {
        assertThat(parse("{\"event\":\"X\",\"anonymousId\":\"a\"}", "track").event().timestamp()).isEqualTo(RECEIVED);
    }

    @Test
    void everyProblemIsReportedWithItsPointer() throws Exception {
        SegmentMessages.Parsed parsed = SegmentMessages.parse(JSON.readTree("""
                {"type":"track","properties":[1],"timestamp":"last tuesday"}"""), "/batch/4", null, null, RECEIVED, "s");

        assertThat(parsed.valid()).isFalse();
        assertThat(parsed.violations()).extracting(Violation::pointer).containsExactlyInAnyOrder(
                "/batch/4/userId", "/batch/4/event", "/batch/4/properties", "/batch/4/timestamp");
    }

    @Test
    void numericIdsAreAcceptedAsTextAndContextTraitsCarryTheEmail() throws Exception {
        SegmentMessages.Parsed parsed = parse("""
                {"type":"track","event":"Signed Up","userId":42,"context":{"traits":{"email":"a@b.c"}}}""", null);

        assertThat(parsed.event().userId()).isEqualTo("42");
        assertThat(parsed.event().traits()).containsEntry("email", "a@b.c");
        assertThat(parsed.event().messageId()).startsWith("satsuma-");
    }

    @Test
    void anOversizedMessageIsRefused() throws Exception {
        String big = "x".repeat(SegmentMessages.MAX_MESSAGE_BYTES);
        SegmentMessages.Parsed parsed = parse("{\"event\":\"X\",\"userId\":\"u\",\"properties\":{\"blob\":\"" + big + "\"}}", "track");

        assertThat(parsed.violations()).extracting(Violation::message).anySatisfy(m -> assertThat(m).contains("limit"));
    }

    private static SegmentMessages.Parsed parse(String json, String type) throws Exception {
        JsonNode node = JSON.readTree(json);
        return SegmentMessages.parse(node, "", type, null, RECEIVED, "source-1");
    }
}
