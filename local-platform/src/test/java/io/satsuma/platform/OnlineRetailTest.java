package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo importer on the real Online Retail file (in ../shared/data beside the project; a missing file fails). */
class OnlineRetailTest {
    private static final Path FILE = Path.of(System.getProperty("satsuma.root", ".."), "../shared/data/online_retail.csv.gz");

    @Test
    void firstInvoiceBecomesAnIdentifyAndAnOrderWithItsRevenue() throws Exception {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");

        List<Map<String, Object>> messages = OnlineRetail.messages(FILE, 1, now);

        assertThat(messages.get(0)).containsEntry("type", "identify").containsEntry("userId", "retail-17850");
        Map<String, Object> first = messages.get(1);
        assertThat(first).containsEntry("event", "Order Completed").containsEntry("messageId", "online-retail-536365");
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) first.get("properties");
        assertThat(properties.get("revenue").toString()).isEqualTo("139.12");
        assertThat(messages).allSatisfy(m -> assertThat(m.get("userId")).isEqualTo("retail-17850"));
        assertThat(messages).anySatisfy(m -> assertThat(m.get("event")).isEqualTo("Order Refunded"));
        // The dataset's last day (2011-12-09) is shifted to today, so every event lies in the past.
        assertThat(messages).allSatisfy(m -> assertThat(Instant.parse((String) m.get("timestamp"))).isBefore(now));
    }

    @Test
    void loadingTwiceProducesTheSameMessageIds() throws Exception {
        Instant now = Instant.now();

        assertThat(OnlineRetail.messages(FILE, 20, now)).extracting(m -> m.get("messageId"))
                .isEqualTo(OnlineRetail.messages(FILE, 20, now).stream().map(m -> m.get("messageId")).toList());
    }

    @Test
    void quotedFieldsMayHoldCommas() {
        assertThat(OnlineRetail.csv("1,\"SET OF 3, RED\",2")).containsExactly("1", "SET OF 3, RED", "2");
    }
}
