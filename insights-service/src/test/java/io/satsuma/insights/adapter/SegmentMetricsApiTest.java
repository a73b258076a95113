package io.satsuma.insights.adapter;

import static io.restassured.RestAssured.given;
import static io.satsuma.insights.adapter.ProfileEventRecords.producer;
import static io.satsuma.insights.adapter.ProfileEventRecords.profileEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.satsuma.contracts.CloudEvents;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.delivery.v1.DeliveryCompleted;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.insights.domain.BruteForceMetrics;
import io.satsuma.insights.domain.Bucketing;
import io.satsuma.insights.domain.Fact;
import io.satsuma.insights.domain.MembershipRecord;
import io.satsuma.insights.domain.RandomHistory;
import io.satsuma.insights.domain.SegmentMetrics;
import io.satsuma.localinfra.DevTokens;
import io.satsuma.localinfra.SatsumaTestInfrastructure;
import io.satsuma.support.kafka.CloudEventRecords;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The metrics through Kafka, PostgreSQL and the API: a random history's membership changes and events published to
 * their topics shuffled and partly twice (with events insights must skip), then the figures the API gives — JSON and
 * CSV — compared with the brute-force computation of what truly happened.
 */
@QuarkusTest
@QuarkusTestResource(value = SatsumaTestInfrastructure.class,
        initArgs = @ResourceArg(name = "database", value = "insights"))
class SegmentMetricsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void theApiGivesTheFiguresOfWhatTrulyHappened() throws Exception {
        Random random = new Random(7);
        RandomHistory history = new RandomHistory(random, 40);
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        String segmentId = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = producer()) {
            for (MembershipRecord change : history.deliveredChanges(random)) {
                producer.send(CloudEventRecords.record(Topic.MEMBERSHIPS.topicName(), change.profileId(),
                        UUID.randomUUID().toString(), CloudEvents.TYPE_MEMBERSHIP_CHANGED, "/test", Instant.now(), workspace,
                        JSON.writeValueAsString(new MembershipChanged(segmentId, "S", change.profileId(),
                                change.entered() ? MembershipChanged.ENTERED : MembershipChanged.EXITED, change.at(),
                                change.holdout(), change.sequence()))));
            }
            for (Fact fact : history.deliveredFacts(random)) {
                producer.send(profileEvent(workspace, fact.eventId(), fact.profileId(), event(fact), properties(fact), fact.at()));
                if (random.nextInt(4) == 0) {
                    producer.send(profileEvent(workspace, UUID.randomUUID().toString(), fact.profileId(), "Product Viewed",
                            Map.of("price", 10), fact.at()));
                }
            }
            producer.flush();
        }

        String analyst = DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, "analyst");
        List<SegmentMetrics.BucketMetrics> expected = BruteForceMetrics.compute(history, Bucketing.WEEK, 14);
        long orders = expected.stream().mapToLong(SegmentMetrics.BucketMetrics::orders).sum();
        assertThat(orders).as("orders while a member").isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> buckets = given().auth().oauth2(analyst)
                    .queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                    .queryParam("bucket", "week").queryParam("conversionDays", 14)
                    .get("/v1/segments/" + segmentId + "/metrics").then().statusCode(200)
                    .body("bucket", equalTo("week")).extract().jsonPath().getList("buckets");
            assertThat(buckets).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                SegmentMetrics.BucketMetrics e = expected.get(i);
                Map<String, Object> a = buckets.get(i);
                assertThat(a.get("start")).isEqualTo(e.start().toString());
                assertThat(((Number) a.get("size")).longValue()).as("size of %s", e.start()).isEqualTo(e.size());
                assertThat(((Number) a.get("entries")).longValue()).isEqualTo(e.entries());
                assertThat(((Number) a.get("exits")).longValue()).isEqualTo(e.exits());
                assertThat(((Number) a.get("members")).longValue()).isEqualTo(e.members());
                assertThat(((Number) a.get("converted")).longValue()).as("converted in %s", e.start()).isEqualTo(e.converted());
                assertThat(((Number) a.get("orders")).longValue()).as("orders in %s", e.start()).isEqualTo(e.orders());
                assertThat(new BigDecimal(a.get("netRevenue").toString())).as("net revenue in %s", e.start())
                        .isEqualByComparingTo(e.netRevenue());
                assertThat(((Number) a.get("emailClicks")).longValue()).isEqualTo(e.emailClicks());
            }
        });

        String csv = given().auth().oauth2(analyst).accept("text/csv")
                .queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                .queryParam("bucket", "week").queryParam("conversionDays", 14)
                .get("/v1/segments/" + segmentId + "/metrics").then().statusCode(200).extract().asString();
        List<String> rows = csv.lines().toList();
        assertThat(rows.get(0)).startsWith("start,end,size,entries,exits,members,entrants,converted,conversionRate");
        assertThat(rows).hasSize(expected.size() + 1);
        assertThat(rows.get(1).split(",", -1)[2]).isEqualTo(String.valueOf(expected.get(0).size()));

        // The holdout groups (a fifth of the random profiles are held out) as counted from the truth.
        BruteForceMetrics.Groups groups = BruteForceMetrics.holdoutGroups(history, 14);
        given().auth().oauth2(analyst).queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                .queryParam("conversionDays", 14).queryParam("holdoutPercent", 20)
                .get("/v1/segments/" + segmentId + "/lift").then().statusCode(200)
                .body("treatment.entrants", equalTo((int) groups.treatmentEntrants()))
                .body("treatment.converted", equalTo((int) groups.treatmentConverted()))
                .body("control.entrants", equalTo((int) groups.controlEntrants()))
                .body("control.converted", equalTo((int) groups.controlConverted()))
                .body("significant", equalTo(null)).body("verdict", containsString("no claim"));
        given().auth().oauth2(analyst).queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                .get("/v1/segments/" + segmentId + "/lift").then().statusCode(400)
                .body("errors[0].pointer", equalTo("holdoutPercent"));

        // Overlap at the end of the range: the segment's size there, nothing shared with a segment without members.
        Instant end = history.to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        int sizeAtEnd = (int) history.toggles.stream().map(RandomHistory.Toggle::profileId).distinct()
                .filter(p -> BruteForceMetrics.memberAt(history, p, end)).count();
        given().auth().oauth2(analyst).queryParam("segments", segmentId + ",nobody").queryParam("at", end.toString())
                .get("/v1/overlap").then().statusCode(200)
                .body("sizes[0]", equalTo(sizeAtEnd)).body("pairwise[0][1]", equalTo(0))
                .body("combinations.size()", equalTo(sizeAtEnd == 0 ? 0 : 1));
        given().auth().oauth2(analyst).queryParam("segments", segmentId).get("/v1/overlap").then().statusCode(400)
                .body("errors[0].pointer", equalTo("segments"));

        // Journeys with the segment as the only stage: in → in, in → none, none → in over the whole range.
        Instant first = history.from.atStartOfDay(ZoneOffset.UTC).toInstant();
        long[] moves = new long[3];
        history.toggles.stream().map(RandomHistory.Toggle::profileId).distinct().forEach(p -> {
            boolean before = BruteForceMetrics.memberAt(history, p, first);
            boolean after = BruteForceMetrics.memberAt(history, p, end);
            moves[0] += before && after ? 1 : 0;
            moves[1] += before && !after ? 1 : 0;
            moves[2] += !before && after ? 1 : 0;
        });
        given().auth().oauth2(analyst).queryParam("segments", segmentId).queryParam("from", history.from.toString())
                .queryParam("to", history.to.toString()).get("/v1/journeys").then().statusCode(200)
                .body("overall.stages", equalTo(List.of(segmentId, "none")))
                .body("overall.counts[0][0]", equalTo((int) moves[0])).body("overall.counts[0][1]", equalTo((int) moves[1]))
                .body("overall.counts[1][0]", equalTo((int) moves[2])).body("overall.counts[1][1]", equalTo(0));

        // Another workspace sees nothing of it; bad parameters are named.
        given().auth().oauth2(DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url",
                        String.class), "elsewhere", "analyst"))
                .queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                .get("/v1/segments/" + segmentId + "/metrics").then().statusCode(200)
                .body("buckets.members.sum()", equalTo(0)).body("buckets.orders.sum()", equalTo(0));
        given().auth().oauth2(analyst).queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                .queryParam("bucket", "fortnight").get("/v1/segments/" + segmentId + "/metrics").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].pointer", equalTo("bucket"));
        given().auth().oauth2(analyst).queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                .queryParam("conversionDays", 0).get("/v1/segments/" + segmentId + "/metrics").then().statusCode(400)
                .body("errors[0].pointer", equalTo("conversionDays"));
        given().queryParam("from", history.from.toString()).queryParam("to", history.to.toString())
                .get("/v1/segments/" + segmentId + "/metrics").then().statusCode(401);
    }

    @Test
    void aSyncEarnsTheOrdersItsDeliveriesPrecededShareByShareWithTheOtherSyncs() throws Exception {
        String workspace = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        Instant day = Instant.parse("2026-06-10T00:00:00Z");
        try (KafkaProducer<String, String> producer = producer()) {
            // p1: email (s-email) on day 0, SMS (s-sms) on day 1, orders 100 on day 2: last touch SMS, linear half each.
            producer.send(delivery(workspace, "d1", "s-email", "p1", "SENT", "ENTERED", day));
            producer.send(delivery(workspace, "d2", "s-sms", "p1", "SENT", "ENTERED", day.plus(Duration.ofDays(1))));
            producer.send(delivery(workspace, "d2", "s-sms", "p1", "SENT", "ENTERED", day.plus(Duration.ofDays(1))));
            // p2: email on day 0 and an order on day 3; a failed SMS and an exit delivered do not touch.
            producer.send(delivery(workspace, "d3", "s-email", "p2", "SENT", "ENTERED", day));
            producer.send(delivery(workspace, "d4", "s-sms", "p2", "FAILED", "ENTERED", day.plus(Duration.ofDays(1))));
            producer.send(delivery(workspace, "d5", "s-sms", "p2", "SENT", "EXITED", day.plus(Duration.ofDays(2))));
            producer.send(profileEvent(workspace, "o1", "p1", "Order Completed", Map.of("orderId", "o1", "revenue", 100,
                    "products", List.of(Map.of("product_id", "coffee", "category", "Drinks"))), day.plus(Duration.ofDays(2))));
            // p1 buys coffee again ten days later (after the week measured below): a repeat buyer.
            producer.send(profileEvent(workspace, "o3", "p1", "Order Completed", Map.of("order_id", "o3", "revenue", 5,
                    "products", List.of(Map.of("product_id", "coffee", "category", "Drinks"))), day.plus(Duration.ofDays(12))));
            producer.send(profileEvent(workspace, "o2", "p2", "Order Completed", Map.of("orderId", "o2", "revenue", 40),
                    day.plus(Duration.ofDays(3))));
            producer.send(profileEvent(workspace, "r2", "p2", "Order Refunded", Map.of("orderId", "o2", "revenue", 10),
                    day.plus(Duration.ofDays(4))));
            producer.flush();
        }
        String analyst = DevTokens.mint(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class),
                workspace, "analyst");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(analyst)
                .queryParam("from", "2026-06-08").queryParam("to", "2026-06-14").queryParam("bucket", "week")
                .queryParam("windowDays", 7).get("/v1/syncs/s-email/metrics").then().statusCode(200)
                .body("buckets[0].deliveries", equalTo(2)).body("buckets[0].profilesReached", equalTo(2))
                .body("buckets[0].converted", equalTo(2)).body("buckets[0].orders", equalTo(2))
                .body("buckets[0].revenue", equalTo(130.0f))
                .body("buckets[0].lastTouchOrders", equalTo(1)).body("buckets[0].lastTouchRevenue", equalTo(30.0f))
                .body("buckets[0].linearOrders", equalTo(1.5f)).body("buckets[0].linearRevenue", equalTo(80.0f)));
        given().auth().oauth2(analyst).queryParam("from", "2026-06-08").queryParam("to", "2026-06-14")
                .queryParam("bucket", "week").get("/v1/syncs/s-sms/metrics").then().statusCode(200)
                .body("buckets[0].deliveries", equalTo(1)).body("buckets[0].orders", equalTo(1))
                .body("buckets[0].lastTouchRevenue", equalTo(100.0f)).body("buckets[0].linearRevenue", equalTo(50.0f));
        given().auth().oauth2(analyst).queryParam("from", "2026-06-01").queryParam("to", "2026-06-30")
                .queryParam("minBuyers", 1).get("/v1/repeat-purchases").then().statusCode(200)
                .body("items[0].key", equalTo("coffee")).body("items[0].buyers", equalTo(1))
                .body("items[0].repeatBuyers", equalTo(1)).body("items[0].medianDaysBetween", equalTo(10.0f))
                .body("items[0].kind", equalTo("RECURRING"));
        given().auth().oauth2(analyst).queryParam("from", "2026-06-01").queryParam("to", "2026-06-30")
                .queryParam("by", "category").get("/v1/repeat-purchases").then().statusCode(200)
                .body("items[0].key", equalTo("Drinks")).body("items[0].kind", equalTo("TOO_FEW_BUYERS"));
        given().auth().oauth2(analyst).queryParam("from", "2026-06-08").queryParam("to", "2026-06-14")
                .queryParam("windowDays", "week").get("/v1/syncs/s-sms/metrics").then().statusCode(400)
                .body("errors[0].pointer", equalTo("windowDays"));
    }

    private static ProducerRecord<String, String> delivery(String workspace, String id, String sync, String profile,
                                                           String status, String change, Instant at) throws Exception {
        return CloudEventRecords.record(Topic.DELIVERIES.topicName(), profile, id, CloudEvents.TYPE_DELIVERY_COMPLETED,
                "/test", Instant.now(), workspace, JSON.writeValueAsString(new DeliveryCompleted(id, sync, "dest", "seg",
                        profile, change, status, 1, null, at)));
    }

    private static String event(Fact fact) {
        return switch (fact.kind()) {
            case ORDER -> "Order Completed";
            case REFUND -> "Order Refunded";
            case EMAIL_OPEN -> "Email Opened";
            case EMAIL_CLICK -> "Email Link Clicked";
        };
    }

    private static Map<String, Object> properties(Fact fact) {
        Map<String, Object> properties = new HashMap<>();
        if (fact.orderId() != null) {
            properties.put("orderId", fact.orderId());
            properties.put("revenue", fact.amount());
        }
        return properties;
    }
}
