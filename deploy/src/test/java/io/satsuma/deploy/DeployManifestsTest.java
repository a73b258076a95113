package io.satsuma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.satsuma.contracts.Topic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every overlay of {@code deploy/} rendered with {@code kubectl kustomize} and checked offline: core kinds read
 * strictly through fabric8's typed models (an unknown or misplaced field fails), custom resources validated against
 * the operators' published JSON Schemas in {@code ../shared/specs/kubernetes-crds/}, and the policies the deployment
 * promises — probes, limits, non-root, read-only root filesystem and no capabilities on every container, a
 * disruption budget per Deployment, topics equal to {@link Topic}, and in production two instances or more,
 * autoscaling capped at the partition count and exactly the network flows of the README's service table.
 */
class DeployManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("satsuma.root", "..")).toAbsolutePath().normalize();
    private static final Path CRDS = ROOT.resolve("../shared/specs/kubernetes-crds").normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    /** The four services and their HTTP ports (README's service table). */
    private static final Map<String, Integer> SERVICES = Map.of("profile-service", 8081, "segment-service", 8082,
            "activation-service", 8083, "insights-service", 8084);
    /** Custom resources and the schema each is validated against. */
    private static final Map<String, String> CUSTOM_SCHEMAS = Map.of(
            "kafka.strimzi.io/v1/Kafka", "kafka.strimzi.io/kafka_v1.json",
            "kafka.strimzi.io/v1/KafkaNodePool", "kafka.strimzi.io/kafkanodepool_v1.json",
            "kafka.strimzi.io/v1/KafkaTopic", "kafka.strimzi.io/kafkatopic_v1.json",
            "kafka.strimzi.io/v1/KafkaUser", "kafka.strimzi.io/kafkauser_v1.json",
            "k8s.keycloak.org/v2alpha1/KeycloakRealmImport", "k8s.keycloak.org/keycloakrealmimport_v2alpha1.json",
            "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/cluster_v1.json",
            "postgresql.cnpg.io/v1/Database", "postgresql.cnpg.io/database_v1.json",
            "keda.sh/v1alpha1/ScaledObject", "keda.sh/scaledobject_v1alpha1.json",
            "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/servicemonitor_v1.json");
    /**
     * Custom resources whose operator's schema is not in the specs: each checked field by field by the test named
     * here instead.
     */
    private static final Map<String, String> CHECKED_FIELD_BY_FIELD = Map.of(
            "keda.sh/v1alpha1/TriggerAuthentication", "autoscalersReadTheLagAsAKafkaUserOfTheirOwn",
            "monitoring.coreos.com/v1/PrometheusRule", "alertRulesAndTheDashboardAreWellFormed");
    /** Core kinds and the typed model each is read into. */
    private static final Map<String, Class<?>> CORE_KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private static final Map<String, List<JsonNode>> RENDERED = new TreeMap<>();
    /** Each schema read and compiled once, not once per object of its kind. */
    private static final Map<String, Schema> COMPILED = new HashMap<>();

    @BeforeAll
    static void render() throws Exception {
        for (String overlay : List.of("dev", "production")) {
            RENDERED.put(overlay, kustomize(ROOT.resolve("deploy/overlays").resolve(overlay)));
        }
    }

    @Test
    void everyObjectIsAKnownKindAndValidAgainstItsModelOrSchema() throws Exception {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            for (JsonNode object : overlay.getValue()) {
                String kind = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
                String where = overlay.getKey() + ": " + kind + " " + object.path("metadata").path("name").asText();
                assertThat(CORE_KINDS.containsKey(kind) || CUSTOM_SCHEMAS.containsKey(kind)
                        || CHECKED_FIELD_BY_FIELD.containsKey(kind)).as("%s is a known kind", where).isTrue();
                if (CHECKED_FIELD_BY_FIELD.containsKey(kind)) {
                    continue;
                }
                if (CORE_KINDS.containsKey(kind)) {
                    Object typed = STRICT.treeToValue(object, CORE_KINDS.get(kind));
                    assertThat(unknownFields(typed, "", new IdentityHashMap<>())).as("fields fabric8 does not know in %s", where)
                            .isEmpty();
                } else {
                    Schema schema = schemaOf(kind);
                    List<Error> errors = schema.validate(object);
                    assertThat(errors).as("%s against %s", where, CUSTOM_SCHEMAS.get(kind)).isEmpty();
                }
            }
        }
    }

    @Test
    void everyContainerHasProbesLimitsAndRunsLockedDown() throws Exception {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            List<Deployment> deployments = all(overlay.getValue(), Deployment.class);
            assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsAll(SERVICES.keySet());
            for (Deployment deployment : deployments) {
                PodSpec pod = deployment.getSpec().getTemplate().getSpec();
                String name = overlay.getKey() + "/" + deployment.getMetadata().getName();
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("%s runs as non-root", name).isTrue();
                assertThat(pod.getAutomountServiceAccountToken()).as("%s mounts no API token", name).isFalse();
                for (Container container : pod.getContainers()) {
                    assertThat(container.getStartupProbe()).as("%s startup probe", name).isNotNull();
                    assertThat(container.getReadinessProbe()).as("%s readiness probe", name).isNotNull();
                    assertThat(container.getLivenessProbe()).as("%s liveness probe", name).isNotNull();
                    assertThat(container.getResources().getRequests()).as("%s requests", name).containsKeys("cpu", "memory");
                    assertThat(container.getResources().getLimits()).as("%s limits", name).containsKeys("cpu", "memory");
                    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as("%s read-only root", name).isTrue();
                    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as("%s escalation", name).isFalse();
                    assertThat(container.getSecurityContext().getCapabilities().getDrop()).as("%s capabilities", name)
                            .containsExactly("ALL");
                    if (SERVICES.containsKey(deployment.getMetadata().getName())) {
                        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
                        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
                        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
                        assertThat(container.getPorts()).extracting(p -> p.getContainerPort())
                                .containsExactly(SERVICES.get(deployment.getMetadata().getName()));
                    }
                }
            }
        }
    }

    @Test
    void everyDeploymentHasADisruptionBudgetAndServicesReachTheirPods() throws Exception {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            List<PodDisruptionBudget> budgets = all(overlay.getValue(), PodDisruptionBudget.class);
            List<Service> services = all(overlay.getValue(), Service.class);
            for (Deployment deployment : all(overlay.getValue(), Deployment.class)) {
                Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
                String name = overlay.getKey() + "/" + deployment.getMetadata().getName();
                assertThat(budgets).as("a PodDisruptionBudget selecting %s", name).filteredOn(b ->
                        podLabels.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet())).hasSize(1);
                assertThat(services).as("a Service selecting %s", name).filteredOn(s ->
                        podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet())).hasSize(1);
            }
            for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
                assertThat(services).filteredOn(s -> s.getMetadata().getName().equals(service.getKey()))
                        .singleElement().satisfies(s -> assertThat(s.getSpec().getPorts()).extracting(p -> p.getPort())
                                .containsExactly(service.getValue()));
            }
        }
    }

    @Test
    void kafkaTopicsAreTheTopicsOfTheContracts() {
        for (Map.Entry<String, List<JsonNode>> overlay : RENDERED.entrySet()) {
            Map<String, JsonNode> declared = new TreeMap<>();
            overlay.getValue().stream().filter(o -> o.path("kind").asText().equals("KafkaTopic"))
                    .forEach(t -> declared.put(t.path("spec").path("topicName").asText(), t.path("spec")));
            Set<String> expected = new TreeSet<>();
            for (Topic topic : Topic.values()) {
                expected.add(topic.topicName());
                expected.add(topic.deadLetterTopicName());
                assertTopic(overlay.getKey(), declared.get(topic.topicName()), topic.partitions(), topic.configs());
                assertTopic(overlay.getKey(), declared.get(topic.deadLetterTopicName()), 1, topic.deadLetterConfigs());
            }
            assertThat(declared.keySet()).as("%s: the KafkaTopics", overlay.getKey()).isEqualTo(expected);
        }
    }

    private static void assertTopic(String overlay, JsonNode spec, int partitions, Map<String, String> configs) {
        assertThat(spec).as("%s declares the topic", overlay).isNotNull();
        assertThat(spec.path("partitions").asInt()).isEqualTo(partitions);
        Map<String, String> declared = new HashMap<>();
        spec.path("config").fields().forEachRemaining(e -> declared.put(e.getKey(), e.getValue().asText()));
        declared.remove("min.insync.replicas");
        assertThat(declared).as("%s: configs of %s", overlay, spec.path("topicName").asText()).isEqualTo(configs);
    }

    @Test
    void productionRunsTwoOrMoreOfEachServiceAutoscaledUpToThePartitions() throws Exception {
        List<JsonNode> production = RENDERED.get("production");
        for (Deployment deployment : all(production, Deployment.class)) {
            if (SERVICES.containsKey(deployment.getMetadata().getName())) {
                assertThat(deployment.getSpec().getReplicas()).as(deployment.getMetadata().getName()).isGreaterThanOrEqualTo(2);
                assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()).isNotNull();
            }
        }
        Map<String, JsonNode> scaled = production.stream().filter(o -> o.path("kind").asText().equals("ScaledObject"))
                .collect(Collectors.toMap(o -> o.path("spec").path("scaleTargetRef").path("name").asText(), o -> o.path("spec")));
        assertThat(scaled.keySet()).isEqualTo(SERVICES.keySet());
        scaled.forEach((service, spec) -> {
            assertThat(spec.path("minReplicaCount").asInt()).as(service).isGreaterThanOrEqualTo(2);
            assertThat(spec.path("maxReplicaCount").asInt()).as("%s capped at the partition count", service)
                    .isLessThanOrEqualTo(Topic.PROFILE_PARTITIONS);
            assertThat(spec.path("triggers").get(0).path("metadata").path("consumerGroup").asText()).isEqualTo(service);
        });
    }

    @Test
    void productionScrapesEveryServicesMetrics() throws Exception {
        List<JsonNode> production = RENDERED.get("production");
        List<Service> services = all(production, Service.class);
        for (String name : SERVICES.keySet()) {
            JsonNode monitor = production.stream().filter(o -> o.path("kind").asText().equals("ServiceMonitor")
                    && o.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
            Map<String, String> selector = STRICT.convertValue(monitor.path("spec").path("selector").path("matchLabels"),
                    STRICT.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            assertThat(services).as("the Service %s's monitor selects", name)
                    .filteredOn(s -> s.getMetadata().getLabels() != null
                            && s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .extracting(s -> s.getMetadata().getName()).containsExactly(name);
            assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
            assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("http");
        }
    }

    @Test
    void productionNetworkFlowsAreExactlyTheServiceTables() throws Exception {
        List<NetworkPolicy> policies = all(RENDERED.get("production"), NetworkPolicy.class);
        assertThat(policies).filteredOn(p -> p.getMetadata().getName().equals("satsuma-default-deny")).singleElement()
                .satisfies(p -> {
                    assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "service");
                    assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
                    assertThat(p.getSpec().getIngress()).isNullOrEmpty();
                    assertThat(p.getSpec().getEgress()).isNullOrEmpty();
                });
        for (Map.Entry<String, Integer> service : SERVICES.entrySet()) {
            NetworkPolicy policy = policies.stream().filter(p -> p.getMetadata().getName().equals(service.getKey()))
                    .findFirst().orElseThrow();
            assertThat(policy.getSpec().getIngress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort().getIntVal())
                    .containsExactly(service.getValue());
            Map<String, Set<Integer>> egress = new TreeMap<>();
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
                String to = rule.getTo().get(0).getIpBlock() != null ? "outside the cluster"
                        : String.valueOf(rule.getTo().get(0).getPodSelector().getMatchLabels());
                for (NetworkPolicyPort port : rule.getPorts()) {
                    egress.computeIfAbsent(to, k -> new TreeSet<>()).add(port.getPort().getIntVal());
                }
            }
            Map<String, Set<Integer>> expected = new TreeMap<>(Map.of(
                    "{cnpg.io/cluster=satsuma-postgres}", Set.of(5432),
                    "{strimzi.io/broker-role=true, strimzi.io/cluster=satsuma}", Set.of(9093),
                    "{k8s-app=kube-dns}", Set.of(53),
                    "{app.kubernetes.io/name=opentelemetry-collector}", Set.of(4317),
                    "outside the cluster", Set.of(443)));
            if (service.getKey().equals("segment-service")) {
                expected.put("{app.kubernetes.io/name=satsuma-redis}", Set.of(6379));
            }
            assertThat(egress).as("egress of %s", service.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void eachServiceIsAKafkaUserAllowedExactlyWhatItsConfigurationAndTheServiceTableUse() throws Exception {
        Map<String, List<String>> table = serviceTableTopics();
        for (List<JsonNode> objects : RENDERED.values()) {
            for (String service : SERVICES.keySet()) {
                Properties config = new Properties();
                try (var in = Files.newBufferedReader(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
                    config.load(in);
                }
                Set<String> consumed = new TreeSet<>();
                Set<String> groups = new TreeSet<>();
                for (String key : config.stringPropertyNames()) {
                    if (key.startsWith("mp.messaging.incoming.") && (key.endsWith(".topic") || key.endsWith(".topics"))) {
                        Arrays.stream(config.getProperty(key).split(",")).map(String::strip).forEach(consumed::add);
                    } else if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                        groups.add(config.getProperty(key));
                    }
                }
                assertThat(consumed).as("%s consumes what the README's service table says", service)
                        .isEqualTo(new TreeSet<>(table.get(service + " consumes")));

                Map<String, Set<String>> expected = new TreeMap<>();
                consumed.forEach(t -> expected.computeIfAbsent("topic " + t, k -> new TreeSet<>()).addAll(List.of("Describe", "Read")));
                table.get(service + " publishes").forEach(t -> expected.computeIfAbsent("topic " + t, k -> new TreeSet<>())
                        .addAll(List.of("Describe", "Write")));
                consumed.forEach(t -> expected.put("topic " + t + ".dlq", new TreeSet<>(List.of("Describe", "Read", "Write"))));
                groups.forEach(g -> expected.put("group " + g, new TreeSet<>(List.of("Read"))));

                JsonNode user = objects.stream().filter(o -> o.path("kind").asText().equals("KafkaUser")
                        && o.path("metadata").path("name").asText().equals(service)).findFirst().orElseThrow();
                assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
                Map<String, Set<String>> granted = new TreeMap<>();
                for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                    assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
                    assertThat(acl.path("resource").path("patternType").asText("literal")).isEqualTo("literal");
                    acl.path("operations").forEach(op -> granted.computeIfAbsent(acl.path("resource").path("type").asText()
                            + " " + acl.path("resource").path("name").asText(), k -> new TreeSet<>()).add(op.asText()));
                }
                assertThat(granted).as("ACLs of the KafkaUser %s", service).isEqualTo(expected);
            }
        }
    }

    @Test
    void everyKafkaClientAuthenticatesOverTlsAsItsServicesUser() throws Exception {
        for (List<JsonNode> objects : RENDERED.values()) {
            JsonNode kafka = objects.stream().filter(o -> o.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
            JsonNode listeners = kafka.path("spec").path("kafka").path("listeners");
            assertThat(listeners).as("the cluster's only listener").hasSize(1);
            assertThat(listeners.get(0).path("tls").asBoolean()).isTrue();
            assertThat(listeners.get(0).path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(kafka.path("spec").path("kafka").path("authorization").path("type").asText()).isEqualTo("simple");
            int port = listeners.get(0).path("port").asInt();

            Map<String, ConfigMap> configMaps = all(objects, ConfigMap.class).stream()
                    .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
            for (Deployment deployment : all(objects, Deployment.class)) {
                String service = deployment.getMetadata().getName();
                if (!SERVICES.containsKey(service)) {
                    continue; // Redis
                }
                Map<String, String> config = configMaps.get(service).getData();
                assertThat(config).as(service).containsEntry("SATSUMA_KAFKA_BOOTSTRAP_SERVERS", "satsuma-kafka-bootstrap:" + port)
                        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                        .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                        .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
                PodSpec pod = deployment.getSpec().getTemplate().getSpec();
                EnvVar jaas = pod.getContainers().get(0).getEnv().stream()
                        .filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG")).findFirst().orElseThrow();
                assertThat(jaas.getValueFrom().getSecretKeyRef().getName()).as("%s's user's Secret", service).isEqualTo(service);
                assertThat(jaas.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
                String caMount = pod.getContainers().get(0).getVolumeMounts().stream()
                        .filter(m -> config.get("KAFKA_SSL_TRUSTSTORE_LOCATION").startsWith(m.getMountPath() + "/"))
                        .findFirst().orElseThrow().getName();
                assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(caMount)).singleElement()
                        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("satsuma-cluster-ca-cert"));
            }
        }
    }

    @Test
    void autoscalersReadTheLagAsAKafkaUserOfTheirOwn() throws Exception {
        List<JsonNode> production = RENDERED.get("production");
        JsonNode auth = production.stream().filter(o -> o.path("kind").asText().equals("TriggerAuthentication"))
                .findFirst().orElseThrow();
        assertThat(auth.path("spec").size()).as("TriggerAuthentication's spec holds secretTargetRef only").isEqualTo(1);
        Set<String> secrets = all(production, Secret.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        Map<String, JsonNode> users = production.stream().filter(o -> o.path("kind").asText().equals("KafkaUser"))
                .collect(Collectors.toMap(o -> o.path("metadata").path("name").asText(), o -> o));
        Map<String, String> parameters = new TreeMap<>();
        for (JsonNode ref : auth.path("spec").path("secretTargetRef")) {
            List<String> fields = new ArrayList<>();
            ref.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("parameter", "name", "key");
            String secret = ref.path("name").asText();
            // A Secret rendered here, one the User Operator writes for a KafkaUser, or Strimzi's cluster CA.
            assertThat(secrets.contains(secret) || users.containsKey(secret) || secret.equals("satsuma-cluster-ca-cert"))
                    .as("the Secret %s exists", secret).isTrue();
            parameters.put(ref.path("parameter").asText(), secret);
        }
        // The parameters of KEDA's Kafka scaler for SCRAM over TLS.
        assertThat(parameters.keySet()).containsExactlyInAnyOrder("sasl", "tls", "username", "password", "ca");
        String user = all(production, Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals(parameters.get("username"))).findFirst().orElseThrow()
                .getStringData().get("username");
        assertThat(parameters.get("password")).as("the password is the user's").isEqualTo(user);
        for (JsonNode acl : users.get(user).path("spec").path("authorization").path("acls")) {
            assertThat(acl.path("operations")).extracting(JsonNode::asText).containsExactly("Describe");
        }
        production.stream().filter(o -> o.path("kind").asText().equals("ScaledObject")).forEach(scaled ->
                assertThat(scaled.path("spec").path("triggers").get(0).path("authenticationRef").path("name").asText())
                        .isEqualTo(auth.path("metadata").path("name").asText()));
    }

    /** Per service, the topics the README's service table says it consumes and publishes (backticked names). */
    private static Map<String, List<String>> serviceTableTopics() throws IOException {
        Map<String, List<String>> topics = new HashMap<>();
        Pattern topic = Pattern.compile("`(satsuma\\.[a-z0-9.-]+)`");
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            for (String service : SERVICES.keySet()) {
                // The first table whose rows start with the services is the service table.
                if (line.startsWith("| [" + service + "]") && !topics.containsKey(service + " consumes")) {
                    String[] cells = line.split("\\|");
                    topics.put(service + " consumes", matches(topic.matcher(cells[4])));
                    topics.put(service + " publishes", matches(topic.matcher(cells[5])));
                }
            }
        }
        assertThat(topics).as("the README's service table").hasSize(2 * SERVICES.size());
        return topics;
    }

    private static List<String> matches(Matcher matcher) {
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    @Test
    void theRealmGivesTokensWhatTheServicesCheck() throws Exception {
        Set<String> rolesChecked = new TreeSet<>();
        Pattern rolesAllowed = Pattern.compile("@RolesAllowed\\(\\{?([^)}]*)\\}?\\)");
        for (String service : SERVICES.keySet()) {
            try (var files = Files.walk(ROOT.resolve(service).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = rolesAllowed.matcher(Files.readString(file));
                    while (m.find()) {
                        Arrays.stream(m.group(1).split(",")).map(r -> r.strip().replace("\"", "")).forEach(rolesChecked::add);
                    }
                }
            }
        }
        for (List<JsonNode> objects : RENDERED.values()) {
            JsonNode realm = objects.stream().filter(o -> o.path("kind").asText().equals("KeycloakRealmImport"))
                    .findFirst().orElseThrow().path("spec").path("realm");
            Set<String> roles = new TreeSet<>();
            realm.path("roles").path("realm").forEach(r -> roles.add(r.path("name").asText()));
            assertThat(roles).as("the realm's roles are those @RolesAllowed names").isEqualTo(rolesChecked);

            Map<String, String> config = all(objects, ConfigMap.class).stream().filter(c -> SERVICES.containsKey(c.getMetadata().getName()))
                    .findFirst().orElseThrow().getData();
            assertThat(config.get("SATSUMA_OIDC_ISSUER")).endsWith("/realms/" + realm.path("realm").asText());
            for (JsonNode client : realm.path("clients")) {
                Map<String, JsonNode> mappers = new HashMap<>();
                client.path("protocolMappers").forEach(m -> mappers.put(m.path("protocolMapper").asText(), m.path("config")));
                String name = client.path("clientId").asText();
                assertThat(mappers).as("%s's mappers", name).containsKeys("oidc-audience-mapper", "oidc-usermodel-realm-role-mapper");
                assertThat(mappers.get("oidc-audience-mapper").path("included.custom.audience").asText()).as(name)
                        .isEqualTo(config.get("SATSUMA_OIDC_AUDIENCE"));
                assertThat(mappers.get("oidc-usermodel-realm-role-mapper").path("claim.name").asText().replace('.', '/'))
                        .as("%s's roles where the services read them", name).isEqualTo(config.get("SATSUMA_OIDC_ROLE_CLAIM"));
                JsonNode workspace = mappers.containsKey("oidc-usermodel-attribute-mapper")
                        ? mappers.get("oidc-usermodel-attribute-mapper") : mappers.get("oidc-hardcoded-claim-mapper");
                assertThat(workspace).as("%s's workspace claim", name).isNotNull();
                assertThat(workspace.path("claim.name").asText()).isEqualTo("workspace");
                assertThat(workspace.path("access.token.claim").asText()).isEqualTo("true");
            }
            assertThat(realm.path("clients")).extracting(c -> c.path("clientId").asText()).contains("satsuma-console");
        }
    }

    @Test
    void alertRulesAndTheDashboardAreWellFormed() throws Exception {
        List<JsonNode> production = RENDERED.get("production");
        JsonNode rule = production.stream().filter(o -> o.path("kind").asText().equals("PrometheusRule")).findFirst().orElseThrow();
        List<String> specFields = new ArrayList<>();
        rule.path("spec").fieldNames().forEachRemaining(specFields::add);
        assertThat(specFields).containsExactly("groups");
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            for (JsonNode alert : group.path("rules")) {
                List<String> fields = new ArrayList<>();
                alert.fieldNames().forEachRemaining(fields::add);
                String name = alert.path("alert").asText();
                assertThat(fields).as(name).isSubsetOf("alert", "expr", "for", "labels", "annotations")
                        .contains("alert", "expr", "labels", "annotations");
                assertThat(alerts.add(name)).as("%s named once", name).isTrue();
                assertThat(alert.path("for").asText("0s")).as(name).matches("\\d+[smh]");
                assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
                assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
                assertThat(alert.path("annotations").path("description").asText()).as(name).isNotBlank();
                assertBalanced(name, alert.path("expr").asText());
            }
        }
        // What the issue asks alerts for: consumer lag, dead letters, outbox backlog, delivery failures, timer lag.
        assertThat(alerts).contains("SatsumaConsumerLagGrowing", "SatsumaConsumerBehind", "SatsumaDeadLetters",
                "SatsumaOutboxBacklog", "SatsumaDeliveriesFailing", "SatsumaTimersBehind");

        ConfigMap dashboard = all(production, ConfigMap.class).stream()
                .filter(c -> "1".equals(c.getMetadata().getLabels() == null ? null : c.getMetadata().getLabels().get("grafana_dashboard")))
                .findFirst().orElseThrow();
        JsonNode board = STRICT.readTree(dashboard.getData().get("satsuma.json"));
        assertThat(board.path("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("targets")).isNotEmpty().allSatisfy(target ->
                    assertBalanced(panel.path("title").asText(), target.path("expr").asText()));
        });
    }

    /** A PromQL expression is not empty and its brackets pair up (a cheap guard against an edit that breaks it). */
    private static void assertBalanced(String where, String expr) {
        assertThat(expr).as(where).isNotBlank();
        ArrayDeque<Character> open = new ArrayDeque<>();
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                open.push(c);
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                assertThat(open).as("%s: %s", where, expr).isNotEmpty();
                assertThat("([{".indexOf(open.pop())).as("%s: %s", where, expr).isEqualTo(")]}".indexOf(c));
            }
        }
        assertThat(open).as("%s: %s", where, expr).isEmpty();
        assertThat(quoted).as("%s: %s", where, expr).isFalse();
    }

    @Test
    void everySecretTheManifestsReadIsListedInTheReadme() throws Exception {
        String readme = Files.readString(ROOT.resolve("deploy/README.md"));
        for (List<JsonNode> objects : RENDERED.values()) {
            Set<String> secrets = new TreeSet<>();
            for (Deployment deployment : all(objects, Deployment.class)) {
                for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                    for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                            secrets.add(env.getValueFrom().getSecretKeyRef().getName());
                        }
                    }
                }
            }
            assertThat(secrets).isNotEmpty().allSatisfy(secret -> assertThat(readme).contains("`" + secret + "`"));
        }
    }

    private static Schema schemaOf(String kind) throws IOException {
        Schema schema = COMPILED.get(kind);
        if (schema == null) {
            schema = SCHEMAS.getSchema(YAML.readTree(CRDS.resolve(CUSTOM_SCHEMAS.get(kind)).toFile()));
            COMPILED.put(kind, schema);
        }
        return schema;
    }

    /** Renders an overlay with kubectl's built-in kustomize; one JSON tree per object. */
    private static List<JsonNode> kustomize(Path overlay) throws IOException, InterruptedException {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl (1.21 or later) is needed to render deploy/", e);
        }
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + overlay + " failed (deploy/ needs kubectl 1.21 or later, "
                    + "whose kustomize knows components; Debian's kubernetes-client 1.20 does not): " + err);
        }
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(out)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
        }
        return objects;
    }

    private static <T> List<T> all(List<JsonNode> objects, Class<T> type) throws IOException {
        String kind = type.getSimpleName();
        List<T> typed = new ArrayList<>();
        for (JsonNode object : objects) {
            if (object.path("kind").asText().equals(kind)) {
                typed.add(STRICT.treeToValue(object, type));
            }
        }
        return typed;
    }

    /**
     * The paths of fields fabric8's models did not recognise: they keep them in {@code additionalProperties} rather
     * than failing, so a misspelt field would otherwise pass.
     */
    private static List<String> unknownFields(Object model, String path, Map<Object, Boolean> seen) throws Exception {
        List<String> unknown = new ArrayList<>();
        if (model == null || seen.put(model, true) != null) {
            return unknown;
        }
        if (model instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
            }
            return unknown;
        }
        if (model instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                unknown.addAll(unknownFields(entry.getValue(), path + "." + entry.getKey(), seen));
            }
            return unknown;
        }
        if (!model.getClass().getName().startsWith("io.fabric8.")) {
            return unknown;
        }
        for (Method getter : model.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value = getter.invoke(model);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                unknown.addAll(unknownFields(value, path + "." + getter.getName().substring(3), seen));
            }
        }
        return unknown;
    }
}
