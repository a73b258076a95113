package io.satsuma.profile.domain;

import java.time.Instant;
import java.util.Optional;

/** Where each workspace's identity rules are kept (none: the defaults apply). */
public interface IdentityRuleStore {
    Optional<IdentityRules> find(String workspace);

    void save(String workspace, IdentityRules rules, Instant at);
}
