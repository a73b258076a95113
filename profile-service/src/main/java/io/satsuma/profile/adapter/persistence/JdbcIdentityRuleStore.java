package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.profile.domain.IdentityRuleStore;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
class JdbcIdentityRuleStore implements IdentityRuleStore {
    private final WorkspaceDocument<IdentityRules> rules;

    JdbcIdentityRuleStore(Sql sql, ObjectMapper json) {
        this.rules = new WorkspaceDocument<>(sql, json, IdentityRules.class, "identity_rules", "rules");
    }

    @Override
    public Optional<IdentityRules> find(String workspace) {
        return rules.find(workspace);
    }

    @Override
    public void save(String workspace, IdentityRules saved, Instant at) {
        rules.save(workspace, saved, at);
    }
}
