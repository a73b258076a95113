package io.satsuma.segment.adapter.cache;

import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;

/** The cache epoch in PostgreSQL ({@code cache_epoch}), read and moved on outside any transaction of the caller's. */
@ApplicationScoped
class JdbcCacheEpochs implements CacheCircuit.EpochStore {
    private final Sql sql;

    JdbcCacheEpochs(Sql sql) {
        this.sql = sql;
    }

    @Override
    public long current() {
        return sql.queryOne("SELECT epoch FROM cache_epoch WHERE id = 1", rs -> rs.getLong(1)).orElseThrow();
    }

    @Override
    public long next() {
        return sql.queryOne("UPDATE cache_epoch SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch", rs -> rs.getLong(1))
                .orElseThrow();
    }
}
