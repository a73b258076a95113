package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.satsuma.contracts.Topic;
import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.LocalInfrastructure;
import io.satsuma.platform.importer.Importer;
import io.satsuma.sandbox.ChannelSandbox;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four packaged services wired as deploy/ wires them, on infrastructure of their own (issue 15): each is a Kafka
 * user of a broker that authenticates with SCRAM-SHA-512 and authorises with exactly the ACLs of deploy/'s
 * {@code KafkaUser}s, its credentials given as the {@code KAFKA_*} environment variables the Deployments set. First
 * customers' orders flow through all four (ingestion, a segment and a backfill, a webhook sync, insights, a merge,
 * a dead letter written and read back) — an ACL missing anywhere would stop them — and every metric deploy/'s alert
 * rules and dashboard use is exported; then SIGTERM with PostgreSQL and Kafka gone, which each service
 * must survive within Kubernetes' grace period.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AsDeployedIT {
    private static final Path ROOT = Path.of(System.getProperty("satsuma.root", "..")).toAbsolutePath().normalize();
    /** Kubernetes' default terminationGracePeriodSeconds, which deploy/ keeps. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Path WORK = ROOT.resolve("local-platform/target/as-deployed");
    private static final int CUSTOMERS = 6;
    /** Metric names in PromQL: Satsuma's own, the Kafka clients', HTTP's and the JVM's. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:satsuma|kafka|http|jvm)_[a-z0-9_]+\\b");

    private static LocalInfrastructure infra;
    private static ChannelSandbox sandbox;
    private static OtlpCollector collector;
    /** What the first test sets up and the trace test reuses. */
    private static String admin;
    private static String writeKey;
    private static String buyers;
    private static final Map<String, String> passwords = new LinkedHashMap<>();
    private static final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private static final SatsumaHttp http = new SatsumaHttp();

    @BeforeAll
    static void startAsDeployed() throws Exception {
        infra = LocalInfrastructure.startWithScramKafka(WORK.resolve("infra"));
        sandbox = ChannelSandbox.start(0, ChannelSandbox.specsBeside(ROOT));
        collector = OtlpCollector.start();
        for (JsonNode user : new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .<JsonNode>readValues(ROOT.resolve("deploy/components/kafka/users.yaml").toFile()).readAll()) {
            String name = user.path("metadata").path("name").asText();
            passwords.put(name, UUID.randomUUID().toString());
            infra.kafka().createUser(name, passwords.get(name), acls(name, user.path("spec").path("authorization").path("acls")));
        }
        assertThat(passwords.keySet()).containsExactlyInAnyOrderElementsOf(Platform.ORDER);
        for (String name : Platform.ORDER) {
            Map<String, String> env = new LinkedHashMap<>(infra.serviceEnvironment(Platform.SERVICES.get(name)));
            env.putAll(infra.kafka().scramClientEnvironment(name, passwords.get(name)));
            // Traces on and exported over OTLP, as deploy/ sets them.
            env.put("SATSUMA_TRACES_DISABLED", "false");
            env.put("SATSUMA_OTLP_ENDPOINT", collector.endpoint());
            env.put("SATSUMA_OTLP_PROTOCOL", "http/protobuf");
            env.put("SATSUMA_SECRET_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            services.put(name, ServiceProcess.start(name, ROOT.resolve(name).resolve("target/quarkus-app/quarkus-run.jar"),
                    FreePorts.next(), env, WORK.resolve(name + ".log"), List.of("-Xmx384m", "-XX:+UseSerialGC")));
        }
        services.values().forEach(s -> s.awaitReady(Duration.ofSeconds(180)));
    }

    @AfterAll
    static void stop() {
        services.values().forEach(ServiceProcess::close);
        if (sandbox != null) {
            sandbox.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    @Order(1)
    void ordersFlowThroughAllFourServicesWithOnlyTheirDeployedKafkaAcls() throws Exception {
        String workspace = "as-deployed";
        admin = infra.oidc().mint(workspace, List.of("admin"), Duration.ofHours(1));
        writeKey = http.create(url("profile-service") + "/v1/sources", admin, Map.of("name", "retail"))
                .path("writeKey").asText();
        buyers = http.create(url("segment-service") + "/v1/segments", admin, Map.of("name", "Buyers",
                "condition", Map.of("event", "Order Completed", "within", "P400D", "op", "gte", "value", 1))).path("id").asText();
        String destination = http.create(url("activation-service") + "/v1/destinations", admin, Map.of(
                "name", "crm", "type", "webhook", "url", sandbox.baseUrl("webhook") + "/as-deployed")).path("id").asText();
        String sync = http.create(url("activation-service") + "/v1/syncs", admin, Map.of("segmentId", buyers,
                "destinationId", destination)).path("id").asText();

        List<Map<String, Object>> messages = OnlineRetail.messages(ROOT.resolve("../shared/data/online_retail.csv.gz"),
                CUSTOMERS, Instant.now().minus(Duration.ofDays(1)));
        Set<Object> customers = messages.stream().map(m -> m.get("userId")).collect(Collectors.toSet());
        assertThat(new Importer(url("profile-service"), writeKey, 2).run(messages,
                new PrintStream(OutputStream.nullOutputStream())).rejected()).isZero();

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            // profile-service → segment-service → activation-service → the channel and insights-service.
            assertThat(http.get(url("segment-service") + "/v1/segments/" + buyers + "/size", admin).json()
                    .path("size").asInt()).isEqualTo(customers.size());
            assertThat(sandbox.webhook().received().stream().filter(r -> r.path().equals("/as-deployed")
                    && r.status() / 100 == 2).count()).isEqualTo(customers.size());
            JsonNode metrics = http.get(url("insights-service") + "/v1/syncs/" + sync + "/metrics?from=" + today
                    + "&to=" + today, admin).json();
            assertThat(metrics.path("buckets").path(0).path("deliveries").asLong()).as("insights' deliveries")
                    .isEqualTo(customers.size());
            assertThat(http.get(url("insights-service") + "/v1/segments/" + buyers + "/daily?from=" + today + "&to=" + today,
                    admin).json().path("days").path(0).path("entries").asLong()).as("insights' entries").isEqualTo(customers.size());
        });
        // A segment defined after the import: backfilled over the profiles there are.
        String spenders = http.create(url("segment-service") + "/v1/segments", admin, Map.of("name", "Spenders",
                "condition", Map.of("trait", "$profile.totalRevenue", "op", "gt", "value", 0))).path("id").asText();
        // Two visitors' profiles that one person's identify and alias merge.
        String profiles = url("profile-service");
        String first = "as-deployed-anon-1";
        String second = "as-deployed-anon-2";
        for (String anonymousId : List.of(first, second)) {
            assertThat(http.postWithWriteKey(profiles + "/v1/track", writeKey, Map.of("anonymousId", anonymousId,
                    "event", "Product Viewed", "messageId", UUID.randomUUID().toString())).status()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(first, second).stream().allMatch(a -> http.get(
                profiles + "/v1/profiles/lookup?type=anonymous_id&value=" + a, admin).status() == 200));
        assertThat(http.postWithWriteKey(profiles + "/v1/identify", writeKey, Map.of("anonymousId", first,
                "userId", "as-deployed-user", "messageId", UUID.randomUUID().toString())).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get(
                profiles + "/v1/profiles/lookup?type=user_id&value=as-deployed-user", admin).status() == 200);
        assertThat(http.postWithWriteKey(profiles + "/v1/alias", writeKey, Map.of("previousId", second,
                "userId", "as-deployed-user", "messageId", UUID.randomUUID().toString())).status()).isEqualTo(200);
        // A refused batch, and a record no one can read, which profile-service puts on its dead-letter topic.
        assertThat(http.postWithWriteKey(profiles + "/v1/batch", writeKey, Map.of("batch", List.of(Map.of(
                "type", "identify", "userId", "as-deployed-user", "timestamp", "not a time"))))
                .status()).isEqualTo(400);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafka().bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topic.EVENTS.topicName(), "as-deployed", "{\"type\": ");
            record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", "io.satsuma.event.ingested.v1".getBytes(StandardCharsets.UTF_8))
                    .add("workspace", workspace.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(http.get(url("segment-service") + "/v1/segments/" + spenders + "/size", admin).json()
                    .path("size").asInt()).isEqualTo(customers.size());
            // Each service's own dead-letter reader (a client of its own, not SmallRye's) reads its .dlq topics as its user.
            assertThat(http.get(profiles + "/v1/dead-letters", admin).json()).as("profile-service's dead letters").hasSize(1);
            assertThat(http.get(profiles + "/v1/profiles/lookup?type=anonymous_id&value=" + second, admin).json()
                    .path("id").asText()).as("merged").isEqualTo(http.get(profiles + "/v1/profiles/lookup?type=user_id&value="
                            + "as-deployed-user", admin).json().path("id").asText());
        });
        for (String name : List.of("segment-service", "activation-service", "insights-service")) {
            assertThat(http.get(url(name) + "/v1/dead-letters", admin).json()).as("%s's dead letters", name).isEmpty();
        }

        // Every metric deploy/'s alert rules and dashboard use is one these services export.
        Set<String> exported = new TreeSet<>();
        for (String name : Platform.ORDER) {
            for (String line : http.get(url(name) + "/q/metrics", null).body().split("\n")) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        Set<String> used = new TreeSet<>();
        for (String file : List.of("alert-rules.yaml", "dashboard.json")) {
            Matcher metric = METRIC.matcher(Files.readString(ROOT.resolve("deploy/components/monitoring").resolve(file)));
            while (metric.find()) {
                used.add(metric.group());
            }
        }
        assertThat(used).as("metrics the alerts and the dashboard use").hasSizeGreaterThan(10);
        assertThat(exported).as("metrics the services export").containsAll(used);

        // The ACLs are enforced: profile-service's user may not read what only insights-service consumes.
        Properties props = new Properties();
        infra.kafka().scramClientEnvironment("profile-service", passwords.get("profile-service")).forEach((key, value) ->
                props.put(key.equals("SATSUMA_KAFKA_BOOTSTRAP_SERVERS") ? ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG
                        : key.substring("KAFKA_".length()).toLowerCase().replace('_', '.'), value));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("satsuma.deliveries.v1", 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    @Order(2)
    void oneTraceRunsFromTrackThroughResolutionAndEvaluationToTheChannelCall() {
        // The caller's trace (an instrumented storefront, or a gateway), sampled.
        String traceId = HexFormat.of().formatHex(UUID.randomUUID().toString().replace("-", "").getBytes(StandardCharsets.US_ASCII), 0, 16);
        String traceParent = "00-" + traceId + "-" + traceId.substring(0, 16) + "-01";
        assertThat(http.postWithWriteKey(url("profile-service") + "/v1/track", writeKey, Map.of("userId", "as-deployed-traced",
                "event", "Order Completed", "messageId", UUID.randomUUID().toString(), "properties", Map.of("revenue", 12.5)),
                Map.of("traceparent", traceParent)).status()).isEqualTo(200);

        // The webhook call carries the trace on to the channel.
        await().atMost(Duration.ofMinutes(1)).until(() -> sandbox.webhook().received().stream()
                .filter(r -> r.path().equals("/as-deployed"))
                .anyMatch(r -> r.headers().entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("traceparent")
                        && h.getValue().startsWith("00-" + traceId + "-"))));
        // And every service recorded its part of it: the request, the resolution, the evaluation, the delivery, the
        // insight (spans leave in batches, every 5 s).
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            Map<String, List<String>> spans = collector.spans().stream().filter(s -> s.traceId().equals(traceId))
                    .collect(Collectors.groupingBy(OtlpCollector.ReceivedSpan::service,
                            Collectors.mapping(OtlpCollector.ReceivedSpan::name, Collectors.toList())));
            assertThat(spans).containsOnlyKeys(Platform.ORDER);
            // (The ingestion request's span is named after its route, /v1/{type: track|identify|...}.)
            assertThat(spans.get("profile-service")).anyMatch(n -> n.startsWith("POST /v1/")).contains("events-in process");
            assertThat(spans.get("segment-service")).contains("profile-changes-in process");
            assertThat(spans.get("activation-service")).contains("memberships-in process", "deliver WEBHOOK")
                    .anyMatch(n -> n.startsWith("POST "));
            assertThat(spans.get("insights-service")).contains("deliveries-in process");
        });
    }

    @Test
    @Order(3)
    void everyServiceExitsWithinTheGracePeriodWhenPostgresAndKafkaAreGone() throws Exception {
        infra.postgres().stop();
        infra.kafka().close();
        Thread.sleep(3_000); // long enough for the consumers, relays and pools to be failing

        // SIGTERM to all at once, as a node drain would; each timed on its own.
        Map<String, Duration> exits = new LinkedHashMap<>();
        ServiceProcess.terminateAll(services, GRACE).forEach((name, exited) -> {
            assertThat(exited).as("%s exited within %s of SIGTERM (log: %s)", name, GRACE, services.get(name).log()).isPresent();
            exits.put(name, exited.get());
        });
        System.out.printf("exit after SIGTERM with PostgreSQL and Kafka gone: %s%n", exits);
        assertThat(exits.values()).allSatisfy(d -> assertThat(d).isLessThan(GRACE));
    }

    private static String url(String service) {
        return services.get(service).url();
    }

    /** A Strimzi KafkaUser's ACLs as the broker's bindings (literal or prefix patterns; operations in Strimzi's case). */
    private static List<AclBinding> acls(String user, JsonNode rules) {
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode rule : rules) {
            JsonNode resource = rule.path("resource");
            ResourcePattern pattern = new ResourcePattern(ResourceType.fromString(resource.path("type").asText()),
                    resource.path("name").asText(),
                    resource.path("patternType").asText("literal").equals("prefix") ? PatternType.PREFIXED : PatternType.LITERAL);
            for (JsonNode operation : rule.path("operations")) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, "*",
                        AclOperation.fromString(operation.asText().replaceAll("([a-z])([A-Z])", "$1_$2")),
                        AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }
}
