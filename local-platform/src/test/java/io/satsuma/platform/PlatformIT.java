package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import io.satsuma.client.segment.ApiClient;
import io.satsuma.client.segment.ApiException;
import io.satsuma.client.segment.api.MembershipApi;
import io.satsuma.client.segment.model.CheckRequest;
import io.satsuma.client.segment.model.ProfileSegments;
import io.satsuma.client.segment.model.SegmentRef;
import io.satsuma.contracts.Topic;
import io.satsuma.localinfra.DevOidcIssuer;
import io.satsuma.localinfra.TopicReader;
import io.satsuma.predictive.BgNbd;
import io.satsuma.predictive.Customer;
import io.satsuma.platform.importer.Datasets;
import io.satsuma.platform.importer.Importer;
import io.satsuma.sandbox.ChannelSandbox;
import io.satsuma.sandbox.Received;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The four packaged services as separate processes on shared infrastructure, driven the way real
 * clients drive them: the official Segment Java library sends the events, bearer tokens signed by
 * the OIDC issuer read the results, and the channel sandbox (stand-ins for Meta, Twilio, Mailchimp and a webhook
 * receiver, each checking its contract) shows what activation sends.
 */
@ExtendWith(SharedPlatform.Resolver.class)
class PlatformIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOK_SECRET = "whsec_e2e-secret-0123456789abcdef";

    private static Platform platform;
    private static ChannelSandbox sandbox;
    /** The services' logs of this run. */
    private static Path logs;
    private static final SatsumaHttp http = new SatsumaHttp();

    @BeforeAll
    static void startPlatform(SharedPlatform shared) {
        platform = shared.platform;
        sandbox = shared.sandbox;
        logs = shared.root.resolve("local-platform/target/e2e/logs");
    }

    @Test
    void anonymousShopperWhoSignsUpAndOrdersIsOneProfileInTheSegmentSyncedAndCounted() throws Exception {
        String workspace = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        String reader = token(workspace, "membership-reader");
        String writeKey = newSource(admin, "storefront");
        String segmentId = http.create(url("segment-service") + "/v1/segments", admin, Map.of(
                "name", "Ordered in the last 30 days",
                "condition", Map.of("event", "Order Completed", "aggregate", "count", "within", "P30D",
                        "op", "gte", "value", 1))).path("id").asText();
        String hookPath = "/hooks-" + workspace;
        String destinationId = http.create(url("activation-service") + "/v1/destinations", admin, Map.of(
                "name", "crm", "type", "webhook", "secret", WEBHOOK_SECRET,
                "url", sandbox.baseUrl("webhook") + hookPath)).path("id").asText();
        http.create(url("activation-service") + "/v1/syncs", admin,
                Map.of("segmentId", segmentId, "destinationId", destinationId));
        String audience = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1);
        String meta = http.create(url("activation-service") + "/v1/destinations", admin, Map.of(
                "name", "Meta", "type", "meta_custom_audience", "config", Map.of("audienceId", audience,
                        "baseUrl", sandbox.baseUrl("meta")), "secrets", Map.of("accessToken", "EAAB-e2e-token"))).path("id").asText();
        http.create(url("activation-service") + "/v1/syncs", admin, Map.of("segmentId", segmentId, "destinationId", meta));
        String twilio = http.create(url("activation-service") + "/v1/destinations", admin, Map.of(
                "name", "SMS", "type", "twilio_sms", "config", Map.of("accountSid", "AC" + "0123456789abcdef".repeat(2),
                        "from", "+15005550006", "baseUrl", sandbox.baseUrl("twilio")),
                "secrets", Map.of("authToken", "0123456789abcdef0123456789abcdef"))).path("id").asText();
        http.create(url("activation-service") + "/v1/syncs", admin, Map.of("segmentId", segmentId, "destinationId", twilio,
                "settings", Map.of("template", Map.of("body", "Thanks {traits.firstName ?: 'friend'}, 10% off: SATSUMA10"))));
        // 555-0100 to 555-0199: kept for fiction in North America, yet valid numbers to libphonenumber
        String phone = "+120255501" + String.format("%02d", Math.abs(workspace.hashCode() % 100));

        String anonymousId = UUID.randomUUID().toString();
        String userId = "user-" + UUID.randomUUID();
        String email = userId + "@example.com";
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Analytics analytics = Analytics.builder(writeKey)
                .endpoint(url("profile-service"))
                .flushQueueSize(10)
                .flushInterval(1, TimeUnit.SECONDS)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        delivered.incrementAndGet();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failed.incrementAndGet();
                    }
                })
                .build();
        analytics.enqueue(TrackMessage.builder("Product Viewed").anonymousId(anonymousId)
                .properties(Map.of("product_id", "sku-1", "price", 59.9)));
        analytics.enqueue(TrackMessage.builder("Product Viewed").anonymousId(anonymousId)
                .properties(Map.of("product_id", "sku-2", "price", 12.0)));
        analytics.enqueue(IdentifyMessage.builder().userId(userId).anonymousId(anonymousId)
                .traits(Map.of("email", email, "name", "Ann Example", "firstName", "Ann", "phone", phone,
                        "consent", Map.of("ads", true, "sms", true))));
        analytics.enqueue(TrackMessage.builder("Order Completed").userId(userId)
                .properties(Map.of("order_id", "o-1", "revenue", 59.9, "currency", "EUR")));
        analytics.flush();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() + failed.get() >= 4);
        analytics.shutdown();
        assertThat(failed.get()).as("messages the Segment library failed to deliver").isZero();

        // One profile holds both identifiers (and the email), with the order counted.
        JsonNode profile = await().atMost(Duration.ofSeconds(60)).until(
                () -> http.get(url("profile-service") + "/v1/profiles/lookup?type=email&value=" + email, admin),
                // Anonymous views and the identified calls travel on different partitions (keyed by their
                // first identifier), so the profile converges to all four events in either order.
                r -> r.status() == 200 && r.json().path("aggregates").path("eventCount").asInt() == 4).json();
        List<String> identifiers = new ArrayList<>();
        profile.path("identifiers").forEach(id -> identifiers.add(id.path("type").asText() + ":" + id.path("value").asText()));
        assertThat(identifiers).contains("anonymous_id:" + anonymousId, "user_id:" + userId, "email:" + email);
        assertThat(profile.path("aggregates").path("orderCount").asInt()).isEqualTo(1);
        assertThat(profile.path("aggregates").path("totalRevenue").decimalValue()).isEqualByComparingTo("59.9");
        String profileId = profile.path("id").asText();

        // It entered the segment: served to client apps by any identifier, through the client generated from the
        // published OpenAPI document (docs/openapi/segment-service.yaml), as a client team would call it.
        MembershipApi membership = membershipApi(reader);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ProfileSegments segments = membership.segmentsByIdentifier("anonymous_id", anonymousId);
            assertThat(segments.getProfileId()).isEqualTo(profileId);
            assertThat(segments.getSegments()).extracting(SegmentRef::getId).containsExactly(segmentId);
            assertThat(segments.getSegments()).extracting(SegmentRef::getHoldout).containsExactly(false);
        });
        assertThat(membership.segmentsOfProfile(profileId).getSegments()).extracting(SegmentRef::getName)
                .containsExactly("Ordered in the last 30 days");
        assertThat(membership.checkMemberships(new CheckRequest().profileIds(List.of(profileId, "nobody"))))
                .extracting(p -> p.getSegments().size()).containsExactly(1, 0);

        // The webhook received one correctly signed enter for that profile.
        await().atMost(Duration.ofSeconds(60)).until(() -> !hooks(hookPath).isEmpty());
        Received hook = hooks(hookPath).get(0);
        assertThat(hook.headers().get("X-satsuma-signature"))
                .isEqualTo(sign(hook.headers().get("X-satsuma-timestamp"), hook.body()));
        JsonNode body = JSON.readTree(hook.body());
        assertThat(body.path("type").asText()).isEqualTo("segment.entered");
        assertThat(body.path("profile").path("id").asText()).isEqualTo(profileId);
        assertThat(body.path("segment").path("id").asText()).isEqualTo(segmentId);

        // Meta holds the person, hashed as Meta asks; Twilio got the SMS, rendered with their first name.
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.meta().audience(audience).containsKey(profileId));
        assertThat(sandbox.meta().audience(audience).get(profileId).subList(0, 3))
                .containsExactly(profileId, sha256(email.toLowerCase()), sha256(phone.substring(1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> sandbox.twilio().messages().stream()
                .anyMatch(m -> m.to().equals(phone)));
        assertThat(sandbox.twilio().messages().stream().filter(m -> m.to().equals(phone)))
                .singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("Thanks Ann, 10% off: SATSUMA10"));
        assertThat(sandbox.violations()).isEmpty();

        // Insights counts one entry today.
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String daily = url("insights-service") + "/v1/segments/" + segmentId + "/daily?from=" + today + "&to=" + today;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode day = http.get(daily, admin).json().path("days").path(0);
            assertThat(day.path("entries").asInt()).isEqualTo(1);
            assertThat(day.path("size").asInt()).isEqualTo(1);
        });
        assertThat(hooks(hookPath)).hasSize(1);

        // She orders again while a member: insights sees the order through profile-service's events, the membership
        // through segment-service's changes. The first order made her enter, so it was placed before she was a member.
        assertThat(http.postWithWriteKey(url("profile-service") + "/v1/track", writeKey, Map.of("userId", userId,
                "event", "Order Completed", "properties", Map.of("order_id", "o-2", "revenue", 40)))
                .status()).isEqualTo(200);
        String metrics = url("insights-service") + "/v1/segments/" + segmentId + "/metrics?from=" + today + "&to=" + today
                + "&conversionDays=7";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode day = http.get(metrics, admin).json().path("buckets").path(0);
            assertThat(day.path("orders").asInt()).isEqualTo(1);
            assertThat(day.path("grossRevenue").decimalValue()).isEqualByComparingTo("40");
            assertThat(day.path("entrants").asInt()).isEqualTo(1);
            assertThat(day.path("converted").asInt()).isEqualTo(1);
            assertThat(day.path("members").asInt()).isEqualTo(1);
        });

        // Security: no token, wrong role, another workspace.
        assertThatThrownBy(() -> membershipApi(null).segmentsOfProfile(profileId)).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).getCode()).isEqualTo(401);
        assertThat(http.get(url("segment-service") + "/v1/profiles/" + profileId + "/segments", null).status()).isEqualTo(401);
        assertThat(http.get(url("profile-service") + "/v1/profiles/" + profileId, null).status()).isEqualTo(401);
        assertThat(http.postJson(url("segment-service") + "/v1/segments", reader,
                Map.of("name", "x", "condition", Map.of("trait", "a", "op", "exists"))).status()).isEqualTo(403);
        assertThat(http.get(url("insights-service") + "/v1/segments/" + segmentId + "/daily?from=" + today + "&to=" + today,
                reader).status()).isEqualTo(403);
        String stranger = token("not-" + workspace, "admin");
        assertThat(http.get(url("profile-service") + "/v1/profiles/" + profileId, stranger).status()).isEqualTo(404);
        assertThat(http.get(url("profile-service") + "/v1/profiles/lookup?type=email&value=" + email, stranger).status())
                .isEqualTo(404);
        assertThat(membershipApi(stranger).segmentsOfProfile(profileId).getSegments()).isEmpty();
        assertThat(http.get(url("segment-service") + "/v1/segments/" + segmentId, stranger).status()).isEqualTo(404);
        assertThat(http.get(daily, stranger).json().path("days").path(0).path("entries").asInt()).isZero();
        assertThat(http.get(url("activation-service") + "/v1/syncs", stranger).json().size()).isZero();
    }

    @Test
    void importingRealDataTwiceGivesTheSameProfiles() throws Exception {
        String workspace = "import-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        String writeKey = newSource(admin, "cdnow");
        Path data = Path.of(System.getProperty("satsuma.root", ".."), "../shared/data/CDNOW_sample.txt.gz");
        List<Map<String, Object>> all = Datasets.read("cdnow", data);
        Set<Object> customers = all.stream().map(m -> m.get("userId")).distinct().limit(30)
                .collect(Collectors.toSet());
        List<Map<String, Object>> messages = all.stream().filter(m -> customers.contains(m.get("userId"))).toList();
        Map<Object, Long> orders = messages.stream().collect(Collectors.groupingBy(m -> m.get("userId"),
                Collectors.counting()));

        for (int run = 1; run <= 2; run++) {
            Importer.Summary summary = new Importer(
                    url("profile-service"), writeKey, 4).run(messages, new PrintStream(OutputStream.nullOutputStream()));
            assertThat(summary.sent()).as("run %d", run).isEqualTo(messages.size());
            assertThat(summary.rejected()).isZero();
            assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();
            for (Object customer : customers) {
                JsonNode profile = http.get(url("profile-service") + "/v1/profiles/lookup?type=user_id&value=" + customer,
                        admin).json();
                assertThat(profile.path("aggregates").path("orderCount").asLong()).as("%s after run %d", customer, run)
                        .isEqualTo(orders.get(customer));
            }
        }
    }

    /**
     * Repeat purchases end to end on real baskets (Complete Journey): the per-product buyers and repeat buyers insights
     * gives equal a count made straight from the CSV file (households, products, UTC days), not through Satsuma.
     */
    @Test
    void repeatPurchasesOfRealBasketsEqualACountMadeFromTheFile() throws Exception {
        String workspace = "baskets-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        Path file = Path.of(System.getProperty("satsuma.root", ".."), "../shared/data/completejourney/transactions_sample.csv.gz");
        // From the file: each basket's lines, then 40 households whose baskets all fit one message (≤ 20 lines).
        Map<String, List<String[]>> baskets = new LinkedHashMap<>();
        try (var in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                baskets.computeIfAbsent(f[2], b -> new ArrayList<>()).add(f);
            }
        }
        Map<String, List<List<String[]>>> byHousehold = new TreeMap<>();
        baskets.values().forEach(lines -> byHousehold.computeIfAbsent(lines.get(0)[0], h -> new ArrayList<>()).add(lines));
        Set<String> households = byHousehold.entrySet().stream()
                .filter(e -> e.getValue().size() >= 3 && e.getValue().stream().allMatch(b -> b.size() <= 20))
                .map(Map.Entry::getKey).limit(40).collect(Collectors.toCollection(TreeSet::new));
        Map<String, Map<String, Set<String>>> daysByHouseholdByProduct = new TreeMap<>();
        households.forEach(h -> byHousehold.get(h).forEach(basket -> basket.forEach(l -> daysByHouseholdByProduct
                .computeIfAbsent(l[3], p -> new HashMap<>()).computeIfAbsent(h, x -> new TreeSet<>())
                .add(l[10].substring(0, 10)))));

        List<Map<String, Object>> messages = Datasets.read("complete-journey", file).stream()
                .filter(m -> households.contains(((String) m.get("userId")).substring("cj-".length()))).toList();
        Importer.Summary summary = new Importer(url("profile-service"), newSource(admin, "baskets"), 4)
                .run(messages, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(summary.rejected()).isZero();
        assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();

        JsonNode items = http.get(url("insights-service") + "/v1/repeat-purchases?from=2016-01-01&to=2018-12-31"
                + "&by=product&minBuyers=1&limit=10000", admin).json().path("items");
        assertThat(items.size()).isEqualTo(daysByHouseholdByProduct.size());
        long repeated = 0;
        for (JsonNode item : items) {
            Map<String, Set<String>> days = daysByHouseholdByProduct.get(item.path("key").asText());
            long repeat = days.values().stream().filter(d -> d.size() > 1).count();
            assertThat(item.path("buyers").asLong()).as(item.path("key").asText()).isEqualTo(days.size());
            assertThat(item.path("repeatBuyers").asLong()).as(item.path("key").asText()).isEqualTo(repeat);
            repeated += repeat > 0 ? 1 : 0;
        }
        assertThat(repeated).as("products bought again by someone").isPositive();
    }

    /**
     * Real baskets as live traffic: the invoices of 30 Online Retail customers are sent now, round by round (every
     * customer's first invoice, then every second one, then every third), each round after the platform has processed
     * the one before. A customer enters "Bought in the last 30 days" with the first invoice, is synced (webhook) at
     * once, and places the later ones as a member. Conversion, revenue while a member and the sync's attributed
     * revenue must then be exactly what the invoices sent say.
     */
    @Test
    void realInvoicesSentLiveGiveTheConversionRevenueAndAttributionTheyAddUpTo() throws Exception {
        String workspace = "live-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        String writeKey = newSource(admin, "retail");
        String segmentId = http.create(url("segment-service") + "/v1/segments", admin, Map.of(
                "name", "Bought in the last 30 days",
                "condition", Map.of("event", "Order Completed", "within", "P30D", "op", "gte", "value", 1))).path("id").asText();
        String destination = http.create(url("activation-service") + "/v1/destinations", admin, Map.of(
                "name", "crm", "type", "webhook", "url", sandbox.baseUrl("webhook") + "/live-" + workspace)).path("id").asText();
        String syncId = http.create(url("activation-service") + "/v1/syncs", admin,
                Map.of("segmentId", segmentId, "destinationId", destination)).path("id").asText();
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC);

        List<Map<String, Object>> messages = OnlineRetail.messages(Path.of(System.getProperty("satsuma.root", ".."),
                "../shared/data/online_retail.csv.gz"), 30, Instant.now());
        Map<Object, List<Map<String, Object>>> invoicesOf = new LinkedHashMap<>();
        messages.stream().filter(m -> "Order Completed".equals(m.get("event")))
                .forEach(m -> invoicesOf.computeIfAbsent(m.get("userId"), k -> new ArrayList<>()).add(m));
        List<List<Map<String, Object>>> rounds = new ArrayList<>();
        rounds.add(messages.stream().filter(m -> "identify".equals(m.get("type"))).toList());
        for (int k = 0; k < 3; k++) {
            int nth = k;
            rounds.add(invoicesOf.values().stream().filter(invoices -> invoices.size() > nth).map(invoices -> invoices.get(nth)).toList());
        }
        for (List<Map<String, Object>> round : rounds) {
            List<Map<String, Object>> live = new ArrayList<>();
            for (Map<String, Object> message : round) {
                Map<String, Object> now = new HashMap<>(message);
                now.put("timestamp", Instant.now().toString());
                live.add(now);
            }
            for (int from = 0; from < live.size(); from += 100) {
                assertThat(http.postWithWriteKey(url("profile-service") + "/v1/batch", writeKey,
                        Map.of("batch", live.subList(from, Math.min(from + 100, live.size())))).status()).isEqualTo(200);
            }
            // Processed everywhere, the entries' webhooks sent (activation's lanes send after their consumer commits),
            // and those deliveries counted: only then may the next round's invoices follow.
            assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();
            await().atMost(Duration.ofMinutes(2)).until(() -> http.get(url("activation-service") + "/v1/syncs/" + syncId
                    + "/status", admin).json().path("pending").asLong() == 0);
            assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();
        }

        long buyers = invoicesOf.size();
        long converted = invoicesOf.values().stream().filter(invoices -> invoices.size() > 1).count();
        List<BigDecimal> asMember = invoicesOf.values().stream()
                .flatMap(invoices -> invoices.subList(1, Math.min(3, invoices.size())).stream())
                .map(m -> (BigDecimal) ((Map<?, ?>) m.get("properties")).get("revenue")).toList();
        BigDecimal revenue = asMember.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(converted).isPositive();

        LocalDate lastDay = LocalDate.now(ZoneOffset.UTC);
        JsonNode buckets = http.get(url("insights-service") + "/v1/segments/" + segmentId + "/metrics?from=" + firstDay
                + "&to=" + lastDay + "&bucket=day&conversionDays=7", admin).json().path("buckets");
        assertThat(sum(buckets, "entries")).isEqualTo(buyers);
        assertThat(sum(buckets, "entrants")).isEqualTo(buyers);
        assertThat(sum(buckets, "converted")).isEqualTo(converted);
        assertThat(sum(buckets, "orders")).isEqualTo(asMember.size());
        assertThat(decimalSum(buckets, "grossRevenue")).isEqualByComparingTo(revenue);
        assertThat(decimalSum(buckets, "netRevenue")).isEqualByComparingTo(revenue);
        if (buckets.size() == 1) {
            assertThat(buckets.get(0).path("averageOrderValue").decimalValue())
                    .isEqualByComparingTo(revenue.divide(BigDecimal.valueOf(asMember.size()), 2, RoundingMode.HALF_EVEN));
        }

        JsonNode sync = http.get(url("insights-service") + "/v1/syncs/" + syncId + "/metrics?from=" + firstDay + "&to="
                + lastDay + "&bucket=day&windowDays=7", admin).json().path("buckets");
        assertThat(sum(sync, "deliveries")).isEqualTo(buyers);
        assertThat(sum(sync, "profilesReached")).isEqualTo(buyers);
        assertThat(sum(sync, "converted")).isEqualTo(converted);
        assertThat(sum(sync, "orders")).isEqualTo(asMember.size());
        assertThat(decimalSum(sync, "revenue")).isEqualByComparingTo(revenue);
        assertThat(decimalSum(sync, "lastTouchRevenue")).isEqualByComparingTo(revenue);
        assertThat(decimalSum(sync, "linearRevenue")).isEqualByComparingTo(revenue);
    }

    private static long sum(JsonNode buckets, String field) {
        long total = 0;
        for (JsonNode bucket : buckets) {
            total += bucket.path(field).asLong();
        }
        return total;
    }

    private static BigDecimal decimalSum(JsonNode buckets, String field) {
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode bucket : buckets) {
            total = total.add(bucket.path(field).decimalValue());
        }
        return total;
    }

    /**
     * A year of real orders (Online Retail, 80 customers, shifted so the last day is today) imported at once: the
     * library's lifecycle stages evaluated point in time 200 days ago and now give the transitions that the stage
     * rules, applied straight to the imported orders' timestamps, give — not the import day's memberships.
     */
    @Test
    void importedHistoryGivesTheLifecycleJourneyItsOrdersGive() throws Exception {
        String workspace = "journey-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        http.create(url("segment-service") + "/v1/library/install", admin, Map.of());
        Instant now = Instant.now();
        List<Map<String, Object>> messages = OnlineRetail.messages(Path.of(System.getProperty("satsuma.root", ".."),
                "../shared/data/online_retail.csv.gz"), 80, now);
        Importer.Summary summary = new Importer(url("profile-service"), newSource(admin, "retail"), 4)
                .run(messages, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(summary.rejected()).isZero();
        assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();

        List<String> stages = List.of("Churned", "At Risk", "Win-back", "Loyal", "Potential Loyal", "One-time Buyers",
                "Repeat Buyers");
        Map<String, String> idByName = new HashMap<>();
        http.get(url("segment-service") + "/v1/segments", admin).json()
                .forEach(s -> idByName.put(s.path("name").asText(), s.path("id").asText()));
        Instant from = now.minus(Duration.ofDays(200));
        Instant to = Instant.now();
        JsonNode journey = http.postJson(url("segment-service") + "/v1/segments/journey", admin, Map.of("segments",
                stages.stream().map(idByName::get).toList(), "from", from.toString(), "to", to.toString())).json();

        Map<String, List<Instant>> ordersOf = new HashMap<>();
        messages.stream().filter(m -> "Order Completed".equals(m.get("event"))).forEach(m -> ordersOf
                .computeIfAbsent((String) m.get("userId"), u -> new ArrayList<>()).add(Instant.parse((String) m.get("timestamp"))));
        long[][] expected = new long[stages.size() + 1][stages.size() + 1];
        for (List<Instant> orders : ordersOf.values()) {
            int before = lifecycleStage(orders, from);
            int after = lifecycleStage(orders, to);
            if (before != stages.size() || after != stages.size()) {
                expected[before][after]++;
            }
        }
        long moved = 0;
        for (int i = 0; i <= stages.size(); i++) {
            for (int j = 0; j <= stages.size(); j++) {
                assertThat(journey.path("counts").path(i).path(j).asLong()).as("%s → %s",
                        i < stages.size() ? stages.get(i) : "none", j < stages.size() ? stages.get(j) : "none")
                        .isEqualTo(expected[i][j]);
                moved += i != j ? expected[i][j] : 0;
            }
        }
        assertThat(moved).as("customers who changed stage over the 200 days").isPositive();
    }

    /**
     * Predicted traits end to end on real orders: 250 Online Retail customers' year imported, the models fitted by
     * insights-service and announced to segment-service, and the library's "Slipping Away" and "Likely to Buy Soon"
     * then hold for exactly the customers that the fitted parameters, applied here to each customer's orders as they
     * were sent (purchase days, revenue), put in them.
     */
    @Test
    void predictedSegmentsHoldForTheCustomersTheFittedModelsPutInThem() throws Exception {
        String workspace = "predicted-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        http.create(url("segment-service") + "/v1/library/install", admin, Map.of());
        // The year ends yesterday: an order later today would still be in the future, not yet a purchase.
        List<Map<String, Object>> messages = OnlineRetail.messages(Path.of(System.getProperty("satsuma.root", ".."),
                "../shared/data/online_retail.csv.gz"), 250, Instant.now().minus(Duration.ofDays(1)));
        Importer.Summary summary = new Importer(url("profile-service"), newSource(admin, "retail"), 4)
                .run(messages, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(summary.rejected()).isZero();
        assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();

        SatsumaHttp.Reply requested = http.postJson(url("insights-service") + "/v1/models/fits", admin, Map.of());
        assertThat(requested.status()).isEqualTo(202);
        String fitId = requested.json().path("id").asText();
        JsonNode fit = await().atMost(Duration.ofMinutes(2)).until(() -> http.get(url("insights-service")
                + "/v1/models/fits/" + fitId, admin).json(), f -> f.path("status").asText().matches("DONE|REFUSED|FAILED"));
        assertThat(fit.path("status").asText()).as(fit.path("reason").asText()).isEqualTo("DONE");
        JsonNode p = fit.path("bgnbd");
        BgNbd model = new BgNbd(p.path("r").asDouble(), p.path("alpha").asDouble(), p.path("a").asDouble(), p.path("b").asDouble());

        Map<String, TreeMap<LocalDate, BigDecimal>> purchaseDays = new HashMap<>();
        messages.stream().filter(m -> "Order Completed".equals(m.get("event"))).forEach(m -> purchaseDays
                .computeIfAbsent((String) m.get("userId"), u -> new TreeMap<>())
                .merge(LocalDate.ofInstant(Instant.parse((String) m.get("timestamp")), ZoneOffset.UTC),
                        (BigDecimal) ((Map<?, ?>) m.get("properties")).get("revenue"), BigDecimal::add));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Set<String> slipping = new TreeSet<>();
        Set<String> likely = new TreeSet<>();
        purchaseDays.forEach((userId, days) -> {
            long x = days.size() - 1;
            Customer customer = new Customer((int) x, ChronoUnit.DAYS.between(days.firstKey(), days.lastKey()) / 7.0,
                    ChronoUnit.DAYS.between(days.firstKey(), today) / 7.0, 0);
            BigDecimal revenue = days.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            if (revenue.compareTo(BigDecimal.valueOf(500)) >= 0 && model.pAlive(customer) < 0.30) {
                slipping.add(userId);
            }
            if (model.probabilityOfPurchase(customer, 30 / 7.0) >= 0.50) {
                likely.add(userId);
            }
        });
        assertThat(slipping).as("customers slipping away").isNotEmpty();
        assertThat(likely).as("customers likely to buy soon").isNotEmpty();

        Map<String, String> idByName = new HashMap<>();
        http.get(url("segment-service") + "/v1/segments", admin).json()
                .forEach(s -> idByName.put(s.path("name").asText(), s.path("id").asText()));
        for (var segment : Map.of("Slipping Away", slipping, "Likely to Buy Soon", likely).entrySet()) {
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(userIdsOfMembers(
                    idByName.get(segment.getKey()), admin)).as(segment.getKey()).isEqualTo(segment.getValue()));
        }
    }

    /** The members of a segment, by the user id each profile was identified with. */
    private Set<String> userIdsOfMembers(String segmentId, String bearer) {
        Set<String> userIds = new TreeSet<>();
        JsonNode members = http.get(url("segment-service") + "/v1/segments/" + segmentId + "/members?limit=1000", bearer).json();
        for (JsonNode profileId : members.path("profileIds")) {
            JsonNode profile = http.get(url("profile-service") + "/v1/profiles/" + profileId.asText(), bearer).json();
            profile.path("identifiers").forEach(id -> {
                if ("user_id".equals(id.path("type").asText())) {
                    userIds.add(id.path("value").asText());
                }
            });
        }
        return userIds;
    }

    /** The library's lifecycle rules (default parameters) on order instants, in priority order; stages.size() = none. */
    private static int lifecycleStage(List<Instant> orders, Instant t) {
        long ever = orders.stream().filter(o -> !o.isAfter(t)).count();
        ToLongFunction<Integer> within = days -> orders.stream()
                .filter(o -> !o.isAfter(t) && o.isAfter(t.minus(Duration.ofDays(days)))).count();
        if (ever >= 1 && within.applyAsLong(180) == 0) {
            return 0;
        }
        if (ever >= 1 && within.applyAsLong(90) == 0) {
            return 1;
        }
        if (within.applyAsLong(30) >= 1 && ever >= 2 && within.applyAsLong(120) == 1) {
            return 2;
        }
        if (within.applyAsLong(365) >= 5) {
            return 3;
        }
        if (within.applyAsLong(365) >= 2) {
            return 4;
        }
        if (ever == 1) {
            return 5;
        }
        return ever >= 2 ? 6 : 7;
    }

    @Test
    void malformedBatchIsRefusedWithAProblemAndNothingIsStored() throws Exception {
        String workspace = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        String writeKey = newSource(admin, "storefront");
        String goodMessageId = UUID.randomUUID().toString();
        String anonymousId = UUID.randomUUID().toString();

        SatsumaHttp.Reply reply = http.postWithWriteKey(url("profile-service") + "/v1/batch", writeKey, Map.of("batch", List.of(
                Map.of("type", "track", "event", "Product Viewed", "anonymousId", anonymousId, "messageId", goodMessageId),
                Map.of("type", "track", "anonymousId", anonymousId, "timestamp", "yesterday"))));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().path("errors").findValuesAsText("pointer"))
                .contains("/batch/1/event", "/batch/1/timestamp");
        assertThat(messageIdsInEventLog()).doesNotContain(goodMessageId);
        assertThat(http.get(url("profile-service") + "/v1/profiles/lookup?type=anonymous_id&value=" + anonymousId, admin)
                .status()).isEqualTo(404);
        SatsumaHttp.Reply unreadable = http.postWithWriteKey(url("profile-service") + "/v1/batch", writeKey, "{\"batch\": [");
        assertThat(unreadable.status()).isEqualTo(400);
        assertThat(unreadable.contentType()).startsWith("application/problem+json");
        assertThat(http.postWithWriteKey(url("profile-service") + "/v1/track", "wk_wrong", Map.of()).status()).isEqualTo(401);
    }

    /**
     * No service writes a person's identifiers into its log on any path that logs (issue 14 §4): accepted events and a
     * merge, refused and unreadable requests carrying the identifiers, an unreadable record on the ingestion topic
     * (dead-lettered), lookups by identifier, an erasure and an event of the erased person (dropped). Then every
     * service's log of this run is searched for the identifiers.
     */
    @Test
    void personalDataStaysOutOfTheLogsOnEveryPathThatLogs() throws Exception {
        String workspace = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        String writeKey = newSource(admin, "storefront");
        String marker = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String email = "log-audit-" + marker + "@example.org";
        String userId = "log-audit-user-" + marker;
        String anonymousId = "log-audit-anon-" + marker;
        String otherAnonymousId = "log-audit-device-" + marker;
        String phoneDigits = "7700" + String.format("%06d", Math.floorMod(marker.hashCode(), 1_000_000));
        String phone = "+44 " + phoneDigits;
        String profiles = url("profile-service");

        assertThat(http.postWithWriteKey(profiles + "/v1/track", writeKey, Map.of("anonymousId", anonymousId,
                "event", "Product Viewed", "messageId", UUID.randomUUID().toString())).status()).isEqualTo(200);
        assertThat(http.postWithWriteKey(profiles + "/v1/track", writeKey, Map.of("anonymousId", otherAnonymousId,
                "event", "Product Viewed", "messageId", UUID.randomUUID().toString())).status()).isEqualTo(200);
        // Two profiles that one person's identify and alias merge.
        assertThat(http.postWithWriteKey(profiles + "/v1/identify", writeKey, Map.of("anonymousId", anonymousId,
                "userId", userId, "messageId", UUID.randomUUID().toString(),
                "traits", Map.of("email", email, "phone", phone)))
                .status()).isEqualTo(200);
        assertThat(http.postWithWriteKey(profiles + "/v1/alias", writeKey, Map.of("previousId", otherAnonymousId,
                "userId", userId, "messageId", UUID.randomUUID().toString())).status()).isEqualTo(200);
        // Refused: a batch with an invalid message carrying the identifiers, an unreadable body quoting them.
        assertThat(http.postWithWriteKey(profiles + "/v1/batch", writeKey, Map.of("batch", List.of(Map.of("type", "identify",
                "userId", userId, "timestamp", email, "traits", Map.of("email", email))))).status()).isEqualTo(400);
        assertThat(http.postWithWriteKey(profiles + "/v1/identify", writeKey, "{\"userId\": \"" + userId + "\", \"traits\": {\"email\": "
                + email).status()).isEqualTo(400);
        // An unreadable record from a server-side producer: dead-lettered by profile-service.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                platform.kafkaBootstrapServers()), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topic.EVENTS.topicName(), userId,
                    "{\"type\": \"identify\", \"userId\": \"" + userId + "\", \"traits\": {\"email\": " + email);
            record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", "io.satsuma.event.ingested.v1".getBytes(StandardCharsets.UTF_8))
                    .add("workspace", workspace.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        assertThat(platform.awaitIdle(Duration.ofMinutes(2))).isTrue();
        // Lookups by identifier, known and not.
        String query = "?type=email&value=" + URLEncoder.encode(email, StandardCharsets.UTF_8);
        String profileId = await().atMost(Duration.ofSeconds(30)).until(() -> http.get(profiles + "/v1/profiles/lookup" + query, admin),
                r -> r.status() == 200).json().path("id").asText();
        assertThat(http.get(url("segment-service") + "/v1/profiles/lookup/segments" + query, admin).status()).isEqualTo(200);
        assertThat(http.get(profiles + "/v1/profiles/lookup?type=user_id&value=" + userId + "-unknown", admin).status())
                .isEqualTo(404);
        // Erased, then an event of the erased person arrives (dropped: suppressed).
        assertThat(http.postJson(profiles + "/v1/gdpr/erase", admin, Map.of("type", "email", "value", email)).json()
                .path("profileId").asText()).isEqualTo(profileId);
        assertThat(http.postWithWriteKey(profiles + "/v1/track", writeKey, Map.of("userId", userId, "event", "Order Completed",
                "messageId", UUID.randomUUID().toString(), "properties", Map.of("email", email))).status()).isEqualTo(200);
        assertThat(platform.awaitIdle(Duration.ofMinutes(2))).isTrue();

        List<String> identifiers = List.of(email, userId, anonymousId, otherAnonymousId, phoneDigits);
        List<Path> serviceLogs;
        try (Stream<Path> files = Files.list(logs)) {
            serviceLogs = files.filter(f -> f.toString().endsWith(".log")).toList();
        }
        assertThat(serviceLogs).hasSizeGreaterThanOrEqualTo(4);
        // The search reads this run's logs: the erasure is logged, by profile id.
        assertThat(Files.readString(logs.resolve("profile-service.log"))).contains("erased profile " + profileId);
        for (Path log : serviceLogs) {
            String text = Files.readString(log).toLowerCase(Locale.ROOT);
            for (String identifier : identifiers) {
                assertThat(text).as("%s in %s", identifier, log.getFileName()).doesNotContain(identifier.toLowerCase(Locale.ROOT));
            }
        }
    }

    /**
     * activation-service killed (SIGKILL) while it uploads a segment to a Mailchimp audience, then started again: the
     * audience ends up holding exactly the segment's members (what was sent before the crash is sent again, once the
     * dead instance's lease has lapsed; Mailchimp's upsert makes that harmless).
     */
    @Test
    void anActivationServiceKilledMidUploadLeavesTheAudienceEqualToTheSegment() throws Exception {
        String workspace = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = token(workspace, "admin");
        String writeKey = newSource(admin, "crm");
        String segmentId = http.create(url("segment-service") + "/v1/segments", admin, Map.of("name", "Gold plan",
                "condition", Map.of("trait", "plan", "op", "eq", "value", "gold"))).path("id").asText();
        int people = 2_000;
        Set<String> emails = new TreeSet<>();
        List<Map<String, Object>> identifies = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            String email = "crash-" + i + "-" + workspace + "@example.com";
            emails.add(email);
            identifies.add(Map.of("type", "identify", "userId", workspace + "-" + i, "messageId", workspace + "-m" + i,
                    "traits", Map.of("email", email, "plan", "gold", "consent", Map.of("email", true))));
        }
        for (int from = 0; from < people; from += 100) {
            assertThat(http.postWithWriteKey(url("profile-service") + "/v1/batch", writeKey,
                    Map.of("batch", identifies.subList(from, from + 100))).status()).isEqualTo(200);
        }
        assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();

        String listId = "crash" + workspace.substring(6);
        String destination = http.create(url("activation-service") + "/v1/destinations", admin, Map.of("name", "list",
                "type", "mailchimp_audience", "config", Map.of("listId", listId, "baseUrl", sandbox.baseUrl("mailchimp"),
                        "rate", "1", "burst", "1"), "secrets", Map.of("apiKey", "0123456789abcdef-us21"))).path("id").asText();
        String syncId = http.create(url("activation-service") + "/v1/syncs", admin, Map.of("segmentId", segmentId,
                "destinationId", destination, "settings", Map.of("tag", "gold"))).path("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> !sandbox.mailchimp().tagged(listId, "gold").isEmpty());
        int beforeCrash = sandbox.mailchimp().tagged(listId, "gold").size();
        assertThat(beforeCrash).as("killed mid-upload").isLessThan(people);

        platform.crashAndRestart("activation-service");

        String status = url("activation-service") + "/v1/syncs/" + syncId + "/status";
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            JsonNode now = http.get(status, admin).json();
            assertThat(now.path("upload").path("finishedAt").isNull()).as("upload finished: %s", now).isFalse();
            assertThat(now.path("membersInDestination").asInt()).isEqualTo(people);
        });
        assertThat(new java.util.TreeSet<>(sandbox.mailchimp().tagged(listId, "gold"))).isEqualTo(emails);
        assertThat(sandbox.mailchimp().members(listId)).hasSize(people);
        assertThat(sandbox.violations()).isEmpty();
    }

    /** The membership API through the generated client, with this bearer token (none if null). */
    private static MembershipApi membershipApi(String bearer) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(url("segment-service"));
        if (bearer != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + bearer));
        }
        return new MembershipApi(client);
    }

    /** A source of the admin's workspace; returns its write key. */
    private static String newSource(String admin, String name) {
        return http.create(url("profile-service") + "/v1/sources", admin, Map.of("name", name)).path("writeKey").asText();
    }

    private static String url(String service) {
        return platform.url(service);
    }

    private static String token(String workspace, String... roles) {
        DevOidcIssuer oidc = platform.infrastructure().oidc();
        return oidc.mint(workspace, List.of(roles), Duration.ofHours(1));
    }

    /** What the sandbox's webhook stub received on this path. */
    private static List<Received> hooks(String path) {
        return sandbox.webhook().received().stream().filter(r -> r.path().equals(path)).toList();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String sign(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> messageIdsInEventLog() throws Exception {
        List<String> ids = new ArrayList<>();
        for (var record : TopicReader.readAll(platform.infrastructure().kafka().bootstrapServers(), Topic.EVENTS.topicName())) {
            ids.add(JSON.readTree(record.value()).path("messageId").asText());
        }
        return ids;
    }
}
