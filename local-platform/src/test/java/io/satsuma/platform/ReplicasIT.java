package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.contracts.Topic;
import io.satsuma.contracts.membership.v1.MembershipChanged;
import io.satsuma.localinfra.FreePorts;
import io.satsuma.localinfra.TopicReader;
import io.satsuma.platform.importer.Importer;
import io.satsuma.sandbox.ChannelSandbox;
import io.satsuma.sandbox.Received;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances of every service on the same infrastructure (issue 14 §3): the shared platform's four plus a second
 * of each. Online Retail customers are sent half to each profile-service; the consumer groups split the partitions
 * between the instances; and the outcome is what one instance gives — each customer's orders and revenue, a
 * segment's members, one membership change per (segment, profile, sequence), one webhook delivery per member, a
 * backfill that entered every profile once, and a time-driven exit fired once per profile.
 */
@ExtendWith(SharedPlatform.Resolver.class)
class ReplicasIT {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final int CUSTOMERS = 60;

    private static Platform platform;
    private static ChannelSandbox sandbox;
    private static Path root;
    private static final SatsumaHttp http = new SatsumaHttp();

    @BeforeAll
    static void platform(SharedPlatform shared) {
        platform = shared.platform;
        sandbox = shared.sandbox;
        root = shared.root;
    }

    @Test
    void twoInstancesOfEachServiceGiveWhatOneGives() throws Exception {
        Map<String, ServiceProcess> second = new HashMap<>();
        // One instance: one member of each group reads each topic (awaited: a member killed by an earlier test leaves
        // the group only when its session times out).
        Map<String, Map<String, Integer>> alone = await().atMost(Duration.ofSeconds(90)).until(ReplicasIT::membersPerTopic,
                groups -> groups.values().stream().allMatch(t -> !t.isEmpty() && t.values().stream().allMatch(n -> n == 1)));
        try {
            for (ServiceProcess first : platform.services()) {
                second.put(first.name(), first.replica(FreePorts.next(),
                        root.resolve("local-platform/target/e2e/logs").resolve(first.name() + "-2.log")));
            }
            second.values().forEach(s -> s.awaitReady(Duration.ofSeconds(180)));

            String workspace = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
            String admin = platform.infrastructure().oidc().mint(workspace, List.of("admin"), Duration.ofHours(1));
            String writeKey = http.create(platform.url("profile-service") + "/v1/sources", admin, Map.of("name", "retail"))
                    .path("writeKey").asText();
            // Defined on one instance, used by both (definitions are in PostgreSQL, cached per instance by version).
            String buyers = http.create(second.get("segment-service").url() + "/v1/segments", admin, Map.of("name", "Buyers",
                    "condition", Map.of("event", "Order Completed", "within", "P400D", "op", "gte", "value", 1))).path("id").asText();
            String hookPath = "/replicas-" + workspace;
            String destination = http.create(platform.url("activation-service") + "/v1/destinations", admin, Map.of(
                    "name", "crm", "type", "webhook", "url", sandbox.baseUrl("webhook") + hookPath)).path("id").asText();
            http.create(second.get("activation-service").url() + "/v1/syncs", admin, Map.of("segmentId", buyers,
                    "destinationId", destination));

            List<Map<String, Object>> messages = OnlineRetail.messages(root.resolve("../shared/data/online_retail.csv.gz"),
                    CUSTOMERS, Instant.now().minus(Duration.ofDays(1)));
            int half = messages.size() / 2;
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            assertThat(new Importer(platform.url("profile-service"), writeKey, 2).run(messages.subList(0, half), quiet).rejected())
                    .isZero();
            assertThat(new Importer(second.get("profile-service").url(), writeKey, 2)
                    .run(messages.subList(half, messages.size()), quiet).rejected()).isZero();
            assertThat(platform.awaitIdle(Duration.ofMinutes(3))).isTrue();

            // Every topic each group reads is now split between two members: one in each instance.
            // (The models topic has one partition: one member holds it, the other stands by.)
            Map<String, Map<String, Integer>> together = membersPerTopic();
            assertThat(together.keySet()).isEqualTo(alone.keySet());
            together.forEach((group, topics) -> assertThat(topics).as("members of %s per topic", group)
                    .containsOnlyKeys(alone.get(group).keySet()).allSatisfy((topic, members) ->
                            assertThat(members).isEqualTo(Math.min(2, partitionsOf(topic)))));

            // Backfill on one of the instances, once: a new segment over the imported profiles.
            String bigSpenders = http.create(platform.url("segment-service") + "/v1/segments", admin, Map.of(
                    "name", "Big spenders", "condition", Map.of("trait", "$profile.totalRevenue", "op", "gte", "value", 1000)))
                    .path("id").asText();

            // A timer per member, fired once: "ordered in the last W", W ending 30 s from now (time enough for the
            // backfill of 60 profiles to enter them first).
            Instant latest = messages.stream().filter(m -> "Order Completed".equals(m.get("event")))
                    .map(m -> Instant.parse((String) m.get("timestamp"))).max(Instant::compareTo).orElseThrow();
            long windowSeconds = Duration.between(latest, Instant.now()).toSeconds() + 30;
            String lastMinute = http.create(second.get("segment-service").url() + "/v1/segments", admin, Map.of(
                    "name", "Ordered at the very end", "condition", Map.of("event", "Order Completed",
                            "within", "PT" + windowSeconds + "S", "op", "gte", "value", 1))).path("id").asText();

            Map<String, BigDecimal> revenue = new HashMap<>();
            Map<String, Integer> orders = new HashMap<>();
            messages.stream().filter(m -> "Order Completed".equals(m.get("event"))).forEach(m -> {
                String user = (String) m.get("userId");
                orders.merge(user, 1, Integer::sum);
                revenue.merge(user, (BigDecimal) ((Map<?, ?>) m.get("properties")).get("revenue"), BigDecimal::add);
            });
            Set<String> big = new TreeSet<>();
            revenue.forEach((user, r) -> {
                if (r.compareTo(BigDecimal.valueOf(1000)) >= 0) {
                    big.add(user);
                }
            });
            Map<String, String> userOf = new HashMap<>();
            for (String user : orders.keySet()) {
                ServiceProcess profiles = user.hashCode() % 2 == 0 ? second.get("profile-service") : platform.service("profile-service");
                JsonNode profile = http.get(profiles.url() + "/v1/profiles/lookup?type=user_id&value=" + user, admin).json();
                userOf.put(profile.path("id").asText(), user);
                assertThat(profile.path("aggregates").path("orderCount").asInt()).as("orders of %s", user).isEqualTo(orders.get(user));
                assertThat(new BigDecimal(profile.path("aggregates").path("totalRevenue").asText())).as("revenue of %s", user)
                        .isEqualByComparingTo(revenue.get(user));
            }
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(http.get(platform.url("segment-service") + "/v1/segments/" + buyers + "/size", admin).json()
                        .path("size").asInt()).isEqualTo(orders.size());
                assertThat(http.get(second.get("segment-service").url() + "/v1/segments/" + bigSpenders + "/size", admin).json()
                        .path("size").asInt()).isEqualTo(big.size());
            });
            // The time-driven exits: every member of the last-minute segment leaves once the minute has passed.
            List<MembershipChanged> changes = await().atMost(Duration.ofMinutes(3)).until(() -> changesOf(
                    Set.of(buyers, bigSpenders, lastMinute)), c -> {
                        long entered = c.stream().filter(x -> x.segmentId().equals(lastMinute) && x.change().equals(MembershipChanged.ENTERED)).count();
                        long exited = c.stream().filter(x -> x.segmentId().equals(lastMinute) && x.change().equals(MembershipChanged.EXITED)).count();
                        return entered > 0 && exited >= entered;
                    });
            assertThat(platform.awaitIdle(Duration.ofMinutes(2))).isTrue();
            changes = changesOf(Set.of(buyers, bigSpenders, lastMinute));

            // One change per (segment, profile, sequence): no instance published a change another had published.
            Set<String> distinct = new HashSet<>();
            changes.forEach(c -> assertThat(distinct.add(c.segmentId() + "/" + c.profileId() + "/" + c.sequence()))
                    .as("published once: %s", c).isTrue());
            assertThat(changes).filteredOn(c -> c.segmentId().equals(buyers)).hasSize(orders.size());
            assertThat(changes).filteredOn(c -> c.segmentId().equals(bigSpenders)).extracting(c -> userOf.get(c.profileId()))
                    .containsExactlyInAnyOrderElementsOf(big);
            Map<String, List<String>> lastMinuteChanges = new HashMap<>();
            changes.stream().filter(c -> c.segmentId().equals(lastMinute)).forEach(c -> lastMinuteChanges
                    .computeIfAbsent(c.profileId(), p -> new ArrayList<>()).add(c.change()));
            assertThat(lastMinuteChanges.values()).as("entered by the backfill, left by the timer, once each")
                    .allMatch(c -> c.equals(List.of(MembershipChanged.ENTERED, MembershipChanged.EXITED)));

            // One webhook delivery per Buyers member, by delivery id, whichever activation instance sent it.
            List<Received> hooks = await().atMost(Duration.ofMinutes(2)).until(() -> sandbox.webhook().received().stream()
                    .filter(r -> r.path().equals(hookPath) && r.status() / 100 == 2).toList(), h -> h.size() >= orders.size());
            Set<String> deliveredTo = new TreeSet<>();
            Set<String> deliveryIds = new HashSet<>();
            for (Received hook : hooks) {
                deliveredTo.add(userOf.get(JSON.readTree(hook.body()).path("profile").path("id").asText()));
                hook.headers().forEach((name, value) -> {
                    if (name.equalsIgnoreCase("x-satsuma-delivery")) {
                        deliveryIds.add(value);
                    }
                });
            }
            assertThat(deliveredTo).isEqualTo(new TreeSet<>(orders.keySet()));
            assertThat(deliveryIds).as("one delivery per member").hasSize(orders.size());
            assertThat(hooks).as("no member sent twice").hasSize(orders.size());
        } finally {
            second.values().forEach(ServiceProcess::close);
        }
    }

    /** For each service's consumer group, how many members hold partitions of each topic it reads. */
    private static Map<String, Map<String, Integer>> membersPerTopic() throws Exception {
        Map<String, Map<String, Integer>> perGroup = new TreeMap<>();
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers()))) {
            for (ConsumerGroupDescription group : kafka.describeConsumerGroups(List.of("profile-service", "segment-service",
                    "segment-service-models", "activation-service", "insights-service")).all().get().values()) {
                Map<String, Integer> perTopic = new TreeMap<>();
                for (MemberDescription member : group.members()) {
                    member.assignment().topicPartitions().stream().map(TopicPartition::topic).distinct()
                            .forEach(topic -> perTopic.merge(topic, 1, Integer::sum));
                }
                perGroup.put(group.groupId(), perTopic);
            }
        }
        return perGroup;
    }

    private static int partitionsOf(String topicName) {
        for (Topic topic : Topic.values()) {
            if (topic.topicName().equals(topicName)) {
                return topic.partitions();
            }
        }
        return 1; // a dead-letter topic
    }

    private static List<MembershipChanged> changesOf(Set<String> segments) throws Exception {
        List<MembershipChanged> changes = new ArrayList<>();
        for (ConsumerRecord<String, String> record : TopicReader.readAll(platform.kafkaBootstrapServers(),
                Topic.MEMBERSHIPS.topicName())) {
            MembershipChanged change = JSON.readValue(record.value(), MembershipChanged.class);
            if (segments.contains(change.segmentId())) {
                changes.add(change);
            }
        }
        changes.sort(Comparator.comparingLong(MembershipChanged::sequence));
        return changes;
    }
}
