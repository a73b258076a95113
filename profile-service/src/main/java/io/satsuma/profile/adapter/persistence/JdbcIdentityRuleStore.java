package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.profile.domain.IdentityRuleStore;
import io.satsuma.profile.domain.IdentityRules;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Singleton;

// A singleton: a client proxy would need a no-argument constructor, which the base class does not have.
@Singleton
class JdbcIdentityRuleStore extends WorkspaceDocument<IdentityRules> implements IdentityRuleStore {
    JdbcIdentityRuleStore(Sql sql, ObjectMapper json) {
        super(sql, json, IdentityRules.class, "identity_rules", "rules");
    }
}
