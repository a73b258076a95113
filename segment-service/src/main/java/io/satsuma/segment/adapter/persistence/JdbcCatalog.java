package io.satsuma.segment.adapter.persistence;

import io.satsuma.segment.domain.Catalog;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Catalog} in PostgreSQL. Entries already written by this instance are remembered, so the hot
 * path does no write for names and types it has recorded before. (A write rolled back with its
 * transaction stays unrecorded until the memory is cleared; the catalog only drives save-time checks.)
 */
@ApplicationScoped
class JdbcCatalog implements Catalog {
    private static final int MAX_REMEMBERED = 100_000;

    private final Sql sql;
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();

    JdbcCatalog(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void recordEvent(String workspace, String eventName, Map<String, Object> properties) {
        if (eventName == null) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        add(rows, workspace, eventName, "", "event");
        if (properties != null) {
            properties.forEach((name, value) -> {
                if (value != null) {
                    add(rows, workspace, eventName, name, Catalog.typeOf(value));
                }
            });
        }
        sql.batch("INSERT INTO event_catalog (workspace, event_name, property, value_type) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", rows);
    }

    @Override
    public void recordTraits(String workspace, Map<String, Object> traits) {
        if (traits == null) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        traits.forEach((name, value) -> {
            if (value != null && remember(workspace + "\u001ft\u001f" + name + "\u001f" + Catalog.typeOf(value))) {
                rows.add(new Object[] {workspace, name, Catalog.typeOf(value)});
            }
        });
        sql.batch("INSERT INTO trait_catalog (workspace, trait, value_type) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", rows);
    }

    @Override
    public Map<String, Map<String, Set<String>>> events(String workspace, Collection<String> eventNames) {
        Map<String, Map<String, Set<String>>> result = new HashMap<>();
        if (eventNames.isEmpty()) {
            return result;
        }
        sql.query("SELECT event_name, property, value_type FROM event_catalog WHERE workspace = ? AND event_name = ANY (?)",
                rs -> {
                    Map<String, Set<String>> properties = result.computeIfAbsent(rs.getString(1), e -> new HashMap<>());
                    if (!rs.getString(2).isEmpty()) {
                        properties.computeIfAbsent(rs.getString(2), p -> new LinkedHashSet<>()).add(rs.getString(3));
                    }
                    return null;
                }, workspace, eventNames.toArray(String[]::new));
        return result;
    }

    @Override
    public Map<String, Set<String>> traits(String workspace, Collection<String> traitNames) {
        Map<String, Set<String>> result = new HashMap<>();
        if (traitNames.isEmpty()) {
            return result;
        }
        sql.query("SELECT trait, value_type FROM trait_catalog WHERE workspace = ? AND trait = ANY (?)",
                rs -> result.computeIfAbsent(rs.getString(1), t -> new LinkedHashSet<>()).add(rs.getString(2)),
                workspace, traitNames.toArray(String[]::new));
        return result;
    }

    private void add(List<Object[]> rows, String workspace, String event, String property, String type) {
        if (remember(workspace + "\u001fe\u001f" + event + "\u001f" + property + "\u001f" + type)) {
            rows.add(new Object[] {workspace, event, property, type});
        }
    }

    private boolean remember(String key) {
        if (recorded.size() > MAX_REMEMBERED) {
            recorded.clear();
        }
        return recorded.add(key);
    }
}
