package io.satsuma.platform.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    private static List<Map<String, Object>> read(String dataset, String file) throws Exception {
        Path path = DATA.resolve(file);
        assumeTrue(Files.isRegularFile(path), "dataset present");
        return Datasets.read(dataset, path);
    }
}
