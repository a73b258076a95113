package io.satsuma.insights.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A random segment history as it really happened (each member's entries and exits, in time order; orders, refunds,
 * opens and clicks) and as it is delivered (membership changes and facts shuffled, some repeated).
 */
public final class RandomHistory {

    /** What truly happened to one profile: alternating entries and exits, in time order. */
    public record Toggle(String profileId, boolean entered, Instant at, boolean holdout, long sequence) {
    }

    public final LocalDate from;
    public final LocalDate to;
    public final List<Toggle> toggles = new ArrayList<>();
    public final List<Fact> facts = new ArrayList<>();

    public RandomHistory(Random random, int profiles) {
        from = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(60));
        to = from.plusDays(5 + random.nextInt(70));
        Instant earliest = from.minusDays(15).atStartOfDay(ZoneOffset.UTC).toInstant();
        long span = Duration.between(earliest, to.plusDays(20).atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds();
        int orderNumber = 0;
        for (int p = 0; p < profiles; p++) {
            String profile = "p" + p;
            // Some profiles are never members: their facts must not count.
            int changes = p % 7 == 6 ? 0 : random.nextInt(7);
            List<Long> offsets = new ArrayList<>();
            while (offsets.size() < changes) {
                long offset = random.nextInt(10) == 0 ? dayStart(random, span) : random.nextLong(span);
                if (!offsets.contains(offset)) {
                    offsets.add(offset);
                }
            }
            Collections.sort(offsets);
            boolean holdout = random.nextInt(5) == 0;
            for (int i = 0; i < offsets.size(); i++) {
                toggles.add(new Toggle(profile, i % 2 == 0, earliest.plusSeconds(offsets.get(i)), holdout, i + 1));
            }
            for (int i = random.nextInt(8); i > 0; i--) {
                Instant at = earliest.plusSeconds(random.nextLong(span));
                String orderId = "o" + orderNumber++;
                BigDecimal amount = BigDecimal.valueOf(random.nextInt(20_000), 2);
                facts.add(new Fact("e-" + orderId, profile, Fact.Kind.ORDER, orderId, amount, at));
                if (random.nextInt(4) == 0) {
                    BigDecimal part = BigDecimal.valueOf(random.nextInt(amount.movePointRight(2).intValue() + 1), 2);
                    facts.add(new Fact("r-" + orderId, profile, Fact.Kind.REFUND, orderId, part,
                            at.plusSeconds(random.nextLong(span))));
                }
            }
            for (int i = random.nextInt(6); i > 0; i--) {
                Fact.Kind kind = random.nextBoolean() ? Fact.Kind.EMAIL_OPEN : Fact.Kind.EMAIL_CLICK;
                facts.add(new Fact("m-" + profile + "-" + i, profile, kind, null, BigDecimal.ZERO,
                        earliest.plusSeconds(random.nextLong(span))));
            }
        }
    }

    /** Some changes fall exactly on midnight: bucket edges must be right. */
    private static long dayStart(Random random, long span) {
        return random.nextLong(span / 86_400) * 86_400;
    }

    /** The membership changes as segment-service sends them: shuffled, one in five repeated. */
    public List<MembershipRecord> deliveredChanges(Random random) {
        List<MembershipRecord> delivered = new ArrayList<>();
        for (Toggle t : toggles) {
            MembershipRecord change = new MembershipRecord(t.profileId(), t.sequence(), t.entered(), t.at(), t.holdout());
            delivered.add(change);
            if (random.nextInt(5) == 0) {
                delivered.add(change);
            }
        }
        Collections.shuffle(delivered, random);
        return delivered;
    }

    /** The facts as profile-service sends them: shuffled, one in five repeated. */
    public List<Fact> deliveredFacts(Random random) {
        List<Fact> delivered = new ArrayList<>();
        for (Fact f : facts) {
            delivered.add(f);
            if (random.nextInt(5) == 0) {
                delivered.add(f);
            }
        }
        Collections.shuffle(delivered, random);
        return delivered;
    }
}
