package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileSettingsStore;
import io.satsuma.support.jdbc.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
class JdbcProfileSettingsStore implements ProfileSettingsStore {
    private final WorkspaceDocument<ProfileSettings> settings;

    JdbcProfileSettingsStore(Sql sql, ObjectMapper json) {
        this.settings = new WorkspaceDocument<>(sql, json, ProfileSettings.class, "profile_settings", "settings");
    }

    @Override
    public Optional<ProfileSettings> find(String workspace) {
        return settings.find(workspace);
    }

    @Override
    public void save(String workspace, ProfileSettings saved, Instant at) {
        settings.save(workspace, saved, at);
    }
}
