package io.satsuma.platform.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset readers on the real files in ../shared/data (skipped where a file is absent). */
class DatasetsTest {
    private static final Path DATA = Path.of(System.getProperty("satsuma.root", ".."), "../shared/data");

    @Test
    void cdnowIsOneOrderPerPurchaseLine() throws Exception {
        List<Map<String, Object>> messages = read("cdnow", "CDNOW_master.txt.gz");

        assertThat(messages).hasSize(69_659);
        assertThat(messages.get(0)).containsEntry("userId", "cdnow-1").containsEntry("event", "Order Completed")
                .containsEntry("timestamp", "1997-01-01T00:00:00Z");
        assertThat(((Map<?, ?>) messages.get(0).get("properties")).get("revenue").toString()).isEqualTo("11.77");
        assertThat(messages.stream().map(m -> m.get("userId")).distinct().count()).isEqualTo(23_570);
    }

    @Test
    void taobaoBehavioursBecomeSegmentEcommerceEvents() throws Exception {
        List<Map<String, Object>> messages = read("taobao", "UserBehavior_head_814users.csv.gz");

        assertThat(messages).hasSize(84_287);
        assertThat(messages.stream().map(m -> m.get("event")).distinct())
                .containsExactlyInAnyOrder("Product Viewed", "Product Added", "Product Added to Wishlist", "Order Completed");
        assertThat(messages.stream().map(m -> m.get("userId")).distinct().count()).isEqualTo(814);
    }

    @Test
    void completeJourneyIsOneOrderPerBasket() throws Exception {
        List<Map<String, Object>> messages = read("complete-journey", "completejourney/transactions_sample.csv.gz");

        assertThat(messages).isNotEmpty().allSatisfy(m -> assertThat((String) m.get("messageId")).startsWith("cj-basket-"));
        assertThat(messages.stream().map(m -> m.get("messageId")).distinct().count()).isEqualTo(messages.size());
    }

    @Test
    void readingTwiceGivesTheSameMessageIds() throws Exception {
        assertThat(read("cdnow", "CDNOW_sample.txt.gz")).extracting(m -> m.get("messageId"))
                .isEqualTo(read("cdnow", "CDNOW_sample.txt.gz").stream().map(m -> m.get("messageId")).toList());
    }

    @Test
    void ndjsonMessagesPassThrough(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.ndjson");
        Files.writeString(file, """
                {"type":"identify","userId":"u1","messageId":"m1","traits":{"plan":"gold"}}

                {"type":"track","userId":"u1","event":"Order Completed","messageId":"m2","properties":{"revenue":5}}
                """);

        assertThat(Datasets.read("ndjson", file)).extracting(m -> m.get("messageId")).containsExactly("m1", "m2");
    }

    @Test
    void csvColumnsBecomeSegmentFieldsWithNestedPathsTyped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, """
                type,userId,messageId,event,timestamp,properties.revenue,properties.coupon,properties.gift,traits.email
                identify,u1,m1,,2026-11-01T10:00:00Z,,,,ann@example.com
                track,u1,m2,Order Completed,2026-11-02T10:00:00Z,49.90,"BF,2026",false,
                track,u1,m3,Product Viewed,2026-11-02T09:00:00Z,,007,,
                """);

        List<Map<String, Object>> messages = Datasets.read("csv", file);

        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).isEqualTo(Map.of("type", "identify", "userId", "u1", "messageId", "m1",
                "timestamp", "2026-11-01T10:00:00Z", "traits", Map.of("email", "ann@example.com")));
        assertThat(messages.get(1)).containsEntry("event", "Order Completed").containsEntry("properties",
                Map.of("revenue", new BigDecimal("49.90"), "coupon", "BF,2026", "gift", false));
        assertThat(messages.get(2)).containsEntry("properties", Map.of("coupon", "007"));
    }

    private static List<Map<String, Object>> read(String dataset, String file) throws Exception {
        Path path = DATA.resolve(file);
        assertThat(path).as("the datasets of ../shared/data are always beside the project").isRegularFile();
        return Datasets.read(dataset, path);
    }
}
