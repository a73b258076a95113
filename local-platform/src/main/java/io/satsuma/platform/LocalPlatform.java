package io.satsuma.platform;

import io.satsuma.localinfra.DevOidcIssuer;
import io.satsuma.sandbox.ChannelSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run command: infrastructure, the four services, demo data, and what a user needs to talk to
 * them (URLs, a write key, bearer tokens), printed and written to {@code .satsuma/local.env}.
 * Ctrl-C stops everything.
 *
 * <p>Environment: {@code SATSUMA_PROFILE_PORT} (8081), {@code SATSUMA_SEGMENT_PORT} (8082),
 * {@code SATSUMA_ACTIVATION_PORT} (8083), {@code SATSUMA_INSIGHTS_PORT} (8084), {@code SATSUMA_OIDC_PORT}
 * (8180), {@code SATSUMA_SANDBOX_PORT} (8190, the channel sandbox), {@code SATSUMA_DEMO_CUSTOMERS} (200; 0 loads no demo data), {@code SATSUMA_DATA_DIR}
 * ({@code ../shared/data}), plus those of {@link io.satsuma.localinfra.LocalInfrastructure} to use
 * external PostgreSQL, Kafka or Redis.
 */
public final class LocalPlatform {
    static final String WORKSPACE = "demo";
    private static final Duration TOKEN_TTL = Duration.ofHours(24);

    private LocalPlatform() {
    }

    public static void main(String[] args) throws Exception {
        QuietLogs.apply();
        Path root = Path.of(System.getProperty("satsuma.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve(".satsuma");
        Map<String, String> env = System.getenv();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("profile-service", port(env, "SATSUMA_PROFILE_PORT", 8081));
        ports.put("segment-service", port(env, "SATSUMA_SEGMENT_PORT", 8082));
        ports.put("activation-service", port(env, "SATSUMA_ACTIVATION_PORT", 8083));
        ports.put("insights-service", port(env, "SATSUMA_INSIGHTS_PORT", 8084));

        long t0 = System.nanoTime();
        System.out.println("Starting Satsuma: infrastructure, then four services (logs in " + workDir.resolve("logs") + ") ...");
        Platform platform = Platform.start(root, workDir, ports, port(env, "SATSUMA_OIDC_PORT", 8180), env);
        ChannelSandbox sandbox = ChannelSandbox.start(port(env, "SATSUMA_SANDBOX_PORT", 8190),
                ChannelSandbox.specsBeside(root));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Satsuma ...");
            sandbox.close();
            platform.close();
            System.out.println("Stopped.");
        }, "satsuma-stop"));

        DevOidcIssuer oidc = platform.infrastructure().oidc();
        String adminToken = oidc.mint("demo-admin", WORKSPACE, List.of("admin"), TOKEN_TTL);
        String readerToken = oidc.mint("demo-app", WORKSPACE, List.of("membership-reader"), TOKEN_TTL);
        SatsumaHttp http = new SatsumaHttp();
        String profileUrl = platform.url("profile-service");
        String segmentUrl = platform.url("segment-service");
        String writeKey = http.create(profileUrl + "/v1/sources", adminToken, Map.of("name", "demo-store"))
                .path("writeKey").asText();

        List<String> segmentIds = new ArrayList<>();
        for (Map<String, Object> segment : DemoSegments.ALL) {
            segmentIds.add(http.create(segmentUrl + "/v1/segments", adminToken, segment).path("id").asText());
        }
        http.create(segmentUrl + "/v1/library/install", adminToken, Map.of());
        String activationUrl = platform.url("activation-service");
        List<DemoChannels.DemoSync> demoSyncs = DemoChannels.setUp(http, activationUrl, adminToken, sandbox,
                segmentIds.get(0), segmentIds.get(2));

        int customers = port(env, "SATSUMA_DEMO_CUSTOMERS", 200);
        Path data = Path.of(env.getOrDefault("SATSUMA_DATA_DIR", root.resolve("../shared/data").toString()));
        String demo = loadDemo(http, profileUrl, writeKey, data.resolve("online_retail.csv.gz"), customers);
        System.out.println("Demo data: " + demo + "; waiting until every service has processed it ...");
        long processingFrom = System.nanoTime();
        boolean idle = platform.awaitIdle(Duration.ofMinutes(5));
        if (!idle) {
            System.out.println("(still processing after 5 minutes; answers will complete as it catches up)");
        } else {
            demo += String.format("; every service had processed it %.1f s after the last batch was accepted",
                    (System.nanoTime() - processingFrom) / 1e9);
        }

        Map<String, String> local = new LinkedHashMap<>();
        local.put("CONSOLE_URL", platform.consoleUrl());
        local.put("PROFILE_URL", profileUrl);
        local.put("SEGMENT_URL", segmentUrl);
        local.put("ACTIVATION_URL", activationUrl);
        local.put("INSIGHTS_URL", platform.url("insights-service"));
        local.put("OIDC_ISSUER", oidc.issuer());
        local.put("KAFKA_BOOTSTRAP_SERVERS", platform.kafkaBootstrapServers());
        local.put("WORKSPACE", WORKSPACE);
        local.put("WRITE_KEY", writeKey);
        local.put("ADMIN_TOKEN", adminToken);
        local.put("READER_TOKEN", readerToken);
        local.put("RECENT_BUYERS_SEGMENT_ID", segmentIds.get(0));
        local.put("CHANNEL_SANDBOX_URL", sandbox.url());
        StringBuilder file = new StringBuilder("# Written by the Satsuma run command at " + Instant.now()
                + "; source it: . .satsuma/local.env\n");
        local.forEach((k, v) -> file.append("export ").append(k).append("='").append(v).append("'\n"));
        Path envFile = workDir.resolve("local.env");
        Files.writeString(envFile, file);

        System.out.printf("%nSatsuma is running (ready in %d s).%n%n", (System.nanoTime() - t0) / 1_000_000_000);
        System.out.printf("  Console            %s%n", platform.consoleUrl());
        System.out.printf("                     sign in as maria (marketer), ana (analyst) or admin, workspace %s%n%n",
                WORKSPACE);
        for (ServiceProcess s : platform.services()) {
            System.out.printf("  %-19s %s   (ready in %d ms, RSS %d MiB, log %s)%n", s.name(), s.url(),
                    s.readyAfterMillis(), s.rssMiB(), root.relativize(s.log()));
        }
        System.out.printf("%n  workspace          %s%n  write key          %s%n", WORKSPACE, writeKey);
        System.out.printf("  demo data          %s%n", demo);
        System.out.printf("  channel sandbox    %s (what Meta, Klaviyo, Twilio and the webhook received)%n", sandbox.url());
        for (DemoChannels.DemoSync sync : demoSyncs) {
            System.out.printf("    sync %s  %s%n", sync.syncId(), sync.name());
        }
        System.out.printf("%nEverything above, plus 24-hour ADMIN_TOKEN and READER_TOKEN, is in %s:%n"
                + "  . .satsuma/local.env%n", root.relativize(envFile));
        System.out.printf("%nMint another bearer token (roles: admin, segment-editor, membership-reader, analyst):%n"
                + "  curl -s '%s?workspace=%s&roles=analyst&format=raw'%n", oidc.tokenUrl(), WORKSPACE);
        System.out.println("\nPress Ctrl-C to stop everything.");
        Thread.currentThread().join();
    }

    private static String loadDemo(SatsumaHttp http, String profileUrl, String writeKey, Path file, int customers) {
        if (customers <= 0) {
            return "not loaded (SATSUMA_DEMO_CUSTOMERS=0)";
        }
        if (!Files.isRegularFile(file)) {
            return "not loaded (" + file + " not found; set SATSUMA_DATA_DIR)";
        }
        try {
            long t0 = System.nanoTime();
            List<Map<String, Object>> messages = DemoChannels.withDemoContactPoints(
                    OnlineRetail.messages(file, customers, Instant.now()));
            for (int from = 0; from < messages.size(); from += 100) {
                SatsumaHttp.Reply reply = http.postWithWriteKey(profileUrl + "/v1/batch", writeKey,
                        Map.of("batch", messages.subList(from, Math.min(from + 100, messages.size()))));
                if (reply.status() != 200) {
                    return "failed at message " + from + ": " + reply.status() + " " + reply.body();
                }
            }
            return String.format("%d events of %d Online Retail customers sent in %d ms",
                    messages.size(), customers, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            return "failed: " + e.getMessage();
        }
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return Integer.parseInt(env.getOrDefault(name, Integer.toString(fallback)));
    }
}
