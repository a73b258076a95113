package io.satsuma.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads the UCI Online Retail dataset (CC BY 4.0, Chen, Sain and Guo, 2012) into Segment-spec
 * messages: per customer an {@code identify} (country as a trait), per invoice an
 * {@code Order Completed} (revenue = Σ quantity × unit price), per {@code C} invoice an
 * {@code Order Refunded}. Guest lines (no CustomerID) are skipped. Timestamps are shifted so that
 * the dataset's last day is today, so "in the last 30 days" means something in a demo. Message ids
 * are derived from invoice numbers: loading twice changes nothing.
 */
public final class OnlineRetail {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int MAX_PRODUCTS_PER_MESSAGE = 20;

    private OnlineRetail() {
    }

    /** Messages for the first {@code maxCustomers} customers of the file (all if ≤ 0), shifted so the last day is today. */
    public static List<Map<String, Object>> messages(Path gz, int maxCustomers, Instant now) throws IOException {
        return messages(gz, maxCustomers, now, true);
    }

    /** The same; with {@code shiftToToday} false the original 2010–2011 timestamps are kept (imports). */
    public static List<Map<String, Object>> messages(Path gz, int maxCustomers, Instant now, boolean shiftToToday)
            throws IOException {
        Map<String, Invoice> invoices = new LinkedHashMap<>();
        Map<String, String> countryOf = new HashMap<>();
        Set<String> customers = new LinkedHashSet<>();
        LocalDateTime last = LocalDateTime.MIN;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> f = csv(line);
                if (f.size() < 8 || f.get(6).isBlank()) {
                    continue;
                }
                LocalDateTime at = LocalDateTime.parse(f.get(4), DATE);
                if (at.isAfter(last)) {
                    last = at;
                }
                String customer = f.get(6).replace(".0", "");
                if (!customers.contains(customer) && maxCustomers > 0 && customers.size() >= maxCustomers) {
                    continue;
                }
                customers.add(customer);
                countryOf.putIfAbsent(customer, f.get(7));
                Invoice invoice = invoices.computeIfAbsent(f.get(0), no -> new Invoice(no, customer, at, new ArrayList<>()));
                invoice.lines().add(new Line(f.get(1), f.get(2), new BigDecimal(f.get(3)), new BigDecimal(f.get(5))));
            }
        }
        Duration shift = shiftToToday ? Duration.between(last.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC),
                now.truncatedTo(ChronoUnit.DAYS)) : Duration.ZERO;
        List<Map<String, Object>> messages = new ArrayList<>();
        Set<String> identified = new LinkedHashSet<>();
        for (Invoice invoice : invoices.values()) {
            Instant at = invoice.at().toInstant(ZoneOffset.UTC).plus(shift);
            String userId = "retail-" + invoice.customer();
            if (identified.add(invoice.customer())) {
                messages.add(Map.of("type", "identify", "userId", userId, "messageId", "online-retail-identify-" + invoice.customer(),
                        "timestamp", at.minusSeconds(1).toString(),
                        "traits", Map.of("email", "customer" + invoice.customer() + "@demo.satsuma.invalid",
                                "country", countryOf.get(invoice.customer()))));
            }
            boolean refund = invoice.number().startsWith("C");
            BigDecimal revenue = invoice.lines().stream().map(l -> l.quantity().multiply(l.unitPrice()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add).abs().setScale(2, RoundingMode.HALF_UP);
            List<Map<String, Object>> products = invoice.lines().stream().limit(MAX_PRODUCTS_PER_MESSAGE)
                    .map(l -> Map.<String, Object>of("sku", l.stockCode(), "name", l.description(),
                            "quantity", l.quantity().abs(), "price", l.unitPrice()))
                    .toList();
            messages.add(Map.of("type", "track", "userId", userId, "messageId", "online-retail-" + invoice.number(),
                    "event", refund ? "Order Refunded" : "Order Completed", "timestamp", at.toString(),
                    "properties", Map.of("order_id", invoice.number(), "revenue", revenue, "currency", "GBP",
                            "products", products)));
        }
        return messages;
    }

    /** Splits one CSV line, honouring double quotes. */
    public static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private record Invoice(String number, String customer, LocalDateTime at, List<Line> lines) {
    }

    private record Line(String stockCode, String description, BigDecimal quantity, BigDecimal unitPrice) {
    }
}
