package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A packaged service runs in the {@code prod} profile, where nothing falls back to localhost (issue 15 §3): started
 * without its database, Kafka, Redis or OIDC issuer, it exits at once with a message naming the variable to set,
 * before it connects to anything. The other settings point at closed ports, so a service that did not fail on its
 * configuration would hang on connecting, not pass. With {@code SATSUMA_LOG_JSON=true}, as deploy/ sets it, every log
 * line is a JSON object.
 */
class ProductionConfigIT {
    private static final Path ROOT = Path.of(System.getProperty("satsuma.root", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> UNREACHABLE = Map.of(
            "SATSUMA_DB_URL", "jdbc:postgresql://127.0.0.1:1/satsuma",
            "SATSUMA_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
            "SATSUMA_REDIS_URL", "redis://127.0.0.1:1",
            "SATSUMA_OIDC_ISSUER", "http://127.0.0.1:1/realms/satsuma");

    @Test
    void everyServiceRefusesToStartWithoutItsConfiguration() throws Exception {
        for (String service : Platform.ORDER) {
            Exit exit = start(service, Map.of());
            assertThat(exit.code()).as("%s exit code", service).isNotZero();
            assertThat(exit.output()).as("%s output", service).containsPattern("Could not expand value SATSUMA_[A-Z_]+");
        }
    }

    @Test
    void eachMissingSettingIsNamed() throws Exception {
        for (String missing : UNREACHABLE.keySet()) {
            Map<String, String> env = new LinkedHashMap<>(UNREACHABLE);
            env.remove(missing);
            Exit exit = start("segment-service", env);
            assertThat(exit.code()).as("without %s", missing).isNotZero();
            assertThat(exit.output()).as("without %s", missing).contains("Could not expand value " + missing);
        }
    }

    @Test
    void logsAreOneJsonObjectPerLineWhereTheyAreCollected() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(UNREACHABLE);
        env.put("SATSUMA_LOG_JSON", "true");
        Exit exit = start("segment-service", env); // the database is on a closed port: the start fails, logged
        assertThat(exit.code()).isNotZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : exit.output().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.isObject()).isTrue());
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("message").asText()).contains("Failed to start");
        });
    }

    private record Exit(int code, String output) {
    }

    /** Starts the packaged service with only these SATSUMA_ variables; waits for it to exit (30 s at most). */
    private static Exit start(String service, Map<String, String> satsumaEnv) throws IOException, InterruptedException {
        Path jar = ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        Path log = ROOT.resolve("local-platform/target/prod-config").resolve(service + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SATSUMA_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(satsumaEnv);
        builder.environment().put("SATSUMA_HTTP_PORT", "0");
        Process process = builder.start();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertThat(exited).as("%s exited within 30 s; output:%n%s", service, output).isTrue();
        return new Exit(process.exitValue(), output);
    }
}
