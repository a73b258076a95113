package io.satsuma.profile.application;

import com.github.benmanes.caffeine.cache.Cache;
import io.satsuma.profile.domain.IdentityRuleStore;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.profile.domain.PhoneNumbers;
import io.satsuma.support.cache.Caches;
import io.satsuma.support.failure.FieldError;
import io.satsuma.support.failure.InvalidInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Each workspace's identity rules: the defaults until an admin saves its own. Resolution reads them on
 * every event, so they are cached for 30 s: a change applies at once on this instance and within 30 s on
 * the others, to resolutions made from then on (profiles already merged stay merged).
 */
@ApplicationScoped
public class ConfigureIdentityRules {
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);
    /** The identifier types ingestion extracts from a message; rules for other types would never apply. */
    /** Types every set of rules must state. */
    private static final Set<String> REQUIRED = Set.of(IdentityRules.USER_ID, IdentityRules.EMAIL, IdentityRules.ANONYMOUS_ID);
    /** Types a set of rules may state; those left out keep their defaults. */
    private static final Set<String> TYPES = Set.of(IdentityRules.USER_ID, IdentityRules.EMAIL, IdentityRules.ANONYMOUS_ID,
            IdentityRules.PHONE, IdentityRules.PHONE_UNPARSED, IdentityRules.DEVICE_TOKEN, IdentityRules.ADVERTISING_ID);
    private static final int MAX_BLOCKED = 1_000;

    private final IdentityRuleStore store;
    private final Clock clock;
    private final Cache<String, IdentityRules> cache;

    ConfigureIdentityRules(IdentityRuleStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.cache = Caches.expiringAfterWrite(CACHE_TTL, clock);
    }

    /** The rules resolution applies in the workspace now. */
    public IdentityRules of(String workspace) {
        return cache.get(workspace, ws -> store.find(ws).orElse(IdentityRules.defaults()));
    }

    /**
     * A rule as sent by an admin: a missing limit or priority is reported, not defaulted; the flags
     * {@code unique} and {@code login} default to the type's default (user_id: a login id).
     */
    public record TypeRuleRequest(Integer limit, Integer priority, Boolean unique, Boolean login) {
        public TypeRuleRequest(Integer limit, Integer priority) {
            this(limit, priority, null, null);
        }
    }

    /**
     * Replaces the workspace's rules: user_id, email and anonymous_id must be given; phone, device_token,
     * advertising_id and phone_unparsed keep their defaults unless given. {@code defaultPhoneRegion} (ISO 3166-1
     * alpha-2, optional) reads phone numbers written without a country code.
     */
    @Transactional
    public IdentityRules replace(String workspace, Map<String, TypeRuleRequest> types, List<String> blockedValues,
                                 String defaultPhoneRegion) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, IdentityRules.TypeRule> rules = new LinkedHashMap<>();
        Map<String, TypeRuleRequest> given = types == null ? Map.of() : types;
        for (String type : given.keySet()) {
            if (!TYPES.contains(type)) {
                errors.add(new FieldError("/types/" + type, "unknown identifier type; one of " + TYPES));
            }
        }
        for (String type : TYPES.stream().sorted().toList()) {
            TypeRuleRequest rule = given.get(type);
            if (rule == null && REQUIRED.contains(type)) {
                errors.add(new FieldError("/types/" + type, "required: {\"limit\": n, \"priority\": p}"));
                continue;
            }
            if (rule == null) {
                rules.put(type, IdentityRules.defaults().rule(type));
                continue;
            }
            if (rule.limit() == null || rule.limit() < 1) {
                errors.add(new FieldError("/types/" + type + "/limit",
                        "how many a profile may hold: an integer of at least 1 (" + Integer.MAX_VALUE + ": no limit)"));
            }
            if (rule.priority() == null || rule.priority() < 0 || rule.priority() > 1_000) {
                errors.add(new FieldError("/types/" + type + "/priority", "an integer from 0 to 1000"));
            }
            if (rule.limit() != null && rule.priority() != null) {
                IdentityRules.TypeRule defaults = IdentityRules.defaults().rule(type);
                rules.put(type, new IdentityRules.TypeRule(rule.limit(), rule.priority(),
                        rule.unique() == null ? defaults.unique() : rule.unique(),
                        rule.login() == null ? defaults.login() : rule.login()));
            }
        }
        Set<String> blocked = new LinkedHashSet<>();
        List<String> values = blockedValues == null ? List.of() : blockedValues;
        if (values.size() > MAX_BLOCKED) {
            errors.add(new FieldError("/blockedValues", "at most " + MAX_BLOCKED + " values"));
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.length() > 200) {
                errors.add(new FieldError("/blockedValues/" + i, "a string of at most 200 characters"));
            } else {
                blocked.add(value.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (defaultPhoneRegion != null && !PhoneNumbers.isRegion(defaultPhoneRegion)) {
            errors.add(new FieldError("/defaultPhoneRegion", "an ISO 3166-1 alpha-2 region, e.g. GB, US, DE"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput("the identity rules are not valid", errors);
        }
        IdentityRules saved = new IdentityRules(rules, blocked,
                defaultPhoneRegion == null ? null : defaultPhoneRegion.toUpperCase(Locale.ROOT));
        store.save(workspace, saved, clock.instant());
        cache.put(workspace, saved);
        return saved;
    }
}
