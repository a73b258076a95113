package io.satsuma.platform.importer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.platform.OnlineRetail;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Readers that turn the public datasets (and plain NDJSON of Segment-spec messages) into Segment
 * messages. Every message id is derived from the source (line number, invoice, basket), so importing
 * the same file twice changes nothing: ingestion is idempotent on {@code messageId}.
 */
public final class Datasets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Datasets() {
    }

    public static List<String> names() {
        return List.of("online-retail", "cdnow", "taobao", "complete-journey", "ndjson", "csv");
    }

    public static List<Map<String, Object>> read(String dataset, Path file) throws IOException {
        return switch (dataset) {
            case "online-retail" -> OnlineRetail.messages(file, 0, Instant.now(), false);
            case "cdnow" -> cdnow(file);
            case "taobao" -> taobao(file);
            case "complete-journey" -> completeJourney(file);
            case "ndjson" -> ndjson(file);
            case "csv" -> csv(file);
            default -> throw new IllegalArgumentException("unknown dataset '" + dataset + "'; one of " + names());
        };
    }

    /**
     * CDNOW: {@code customer_id date(YYYYMMDD) number_of_cds dollar_value} (the 1-in-10 sample has an
     * extra second column) → one Order Completed per line, for the customer of the first column.
     */
    static List<Map<String, Object>> cdnow(Path file) throws IOException {
        List<Map<String, Object>> messages = new ArrayList<>();
        DateTimeFormatter yyyymmdd = DateTimeFormatter.BASIC_ISO_DATE;
        try (BufferedReader in = open(file)) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[0].chars().allMatch(Character::isDigit)) {
                    continue; // header
                }
                int n = f.length;
                Instant at = LocalDate.parse(f[n - 3], yyyymmdd).atStartOfDay(ZoneOffset.UTC).toInstant();
                messages.add(Map.of("type", "track", "event", "Order Completed", "userId", "cdnow-" + Integer.parseInt(f[0]),
                        "messageId", "cdnow-" + lineNo, "timestamp", at.toString(),
                        "properties", Map.of("revenue", new BigDecimal(f[n - 1]), "quantity", Integer.parseInt(f[n - 2]),
                                "currency", "USD")));
            }
        }
        return messages;
    }

    /** Taobao: pv → Product Viewed, cart → Product Added, fav → Product Added to Wishlist, buy → Order Completed. */
    static List<Map<String, Object>> taobao(Path file) throws IOException {
        Map<String, String> events = Map.of("pv", "Product Viewed", "cart", "Product Added",
                "fav", "Product Added to Wishlist", "buy", "Order Completed");
        List<Map<String, Object>> messages = new ArrayList<>();
        try (BufferedReader in = open(file)) {
            in.readLine();
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                String[] f = line.split(",");
                String event = f.length == 5 ? events.get(f[3]) : null;
                if (event == null) {
                    continue;
                }
                messages.add(Map.of("type", "track", "event", event, "userId", "taobao-" + f[0],
                        "messageId", "taobao-" + lineNo,
                        "timestamp", Instant.ofEpochSecond(Long.parseLong(f[4])).toString(),
                        "properties", Map.of("product_id", f[1], "category", f[2])));
            }
        }
        return messages;
    }

    /** Complete Journey transactions: one Order Completed per basket (revenue = Σ sales_value, products = lines). */
    static List<Map<String, Object>> completeJourney(Path file) throws IOException {
        Map<String, List<String[]>> baskets = new LinkedHashMap<>();
        try (BufferedReader in = open(file)) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                if (f.length >= 11) {
                    baskets.computeIfAbsent(f[2], b -> new ArrayList<>()).add(f);
                }
            }
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (var basket : baskets.entrySet()) {
            List<String[]> lines = basket.getValue();
            String[] first = lines.get(0);
            BigDecimal revenue = lines.stream().map(l -> new BigDecimal(l[5])).reduce(BigDecimal.ZERO, BigDecimal::add);
            List<Map<String, Object>> products = lines.stream().limit(20)
                    .map(l -> Map.<String, Object>of("product_id", l[3], "quantity", new BigDecimal(l[4]), "price", new BigDecimal(l[5])))
                    .toList();
            Instant at = OffsetDateTime.parse(first[10].replace(' ', 'T')).toInstant();
            messages.add(Map.of("type", "track", "event", "Order Completed", "userId", "cj-" + first[0],
                    "messageId", "cj-basket-" + basket.getKey(), "timestamp", at.toString(),
                    "properties", Map.of("order_id", basket.getKey(), "revenue", revenue, "store_id", first[1],
                            "products", products)));
        }
        return messages;
    }

    /** One Segment-spec message (track, identify, page, ...) per line, sent as is. */
    static List<Map<String, Object>> ndjson(Path file) throws IOException {
        List<Map<String, Object>> messages = new ArrayList<>();
        try (BufferedReader in = open(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    messages.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {
                    }));
                }
            }
        }
        return messages;
    }

    /**
     * Segment-spec messages as CSV with a header row: top-level fields by name ({@code type}, {@code event},
     * {@code userId}, {@code anonymousId}, {@code previousId}, {@code messageId}, {@code timestamp}) and
     * nested ones by dotted path ({@code properties.revenue}, {@code traits.email}, {@code context.ip}).
     * Empty cells are left out; numbers and {@code true}/{@code false} become JSON numbers and booleans.
     */
    static List<Map<String, Object>> csv(Path file) throws IOException {
        List<Map<String, Object>> messages = new ArrayList<>();
        try (BufferedReader in = open(file)) {
            String header = in.readLine();
            if (header == null) {
                return messages;
            }
            List<String> columns = OnlineRetail.csv(header.strip());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = OnlineRetail.csv(line);
                Map<String, Object> message = new LinkedHashMap<>();
                for (int i = 0; i < Math.min(columns.size(), cells.size()); i++) {
                    if (!cells.get(i).isEmpty()) {
                        put(message, columns.get(i).strip().split("\\."), cells.get(i));
                    }
                }
                messages.add(message);
            }
        }
        return messages;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> into, String[] path, String cell) {
        Map<String, Object> at = into;
        for (int i = 0; i < path.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
        }
        boolean nested = path.length > 1;
        at.put(path[path.length - 1], nested ? typed(cell) : cell);
    }

    /** A nested cell's value: a number or boolean when it reads as one, else the text. */
    private static Object typed(String cell) {
        if (cell.equals("true") || cell.equals("false")) {
            return Boolean.valueOf(cell);
        }
        if (cell.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?")) {
            return new BigDecimal(cell);
        }
        return cell;
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
