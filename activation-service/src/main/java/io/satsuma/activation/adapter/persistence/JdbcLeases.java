package io.satsuma.activation.adapter.persistence;

import io.satsuma.activation.domain.Leases;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

@ApplicationScoped
class JdbcLeases implements Leases {
    private final Sql sql;

    JdbcLeases(Sql sql) {
        this.sql = sql;
    }

    @Override
    @Transactional
    public void renew(String owner, Instant until) {
        sql.update("UPDATE sync SET lease_until = ? WHERE lease_owner = ? AND lease_until > now()", until, owner);
        sql.update("UPDATE delivery SET leased_until = ? WHERE leased_by = ? AND leased_until > now() AND status = 'PENDING'",
                until, owner);
    }
}
