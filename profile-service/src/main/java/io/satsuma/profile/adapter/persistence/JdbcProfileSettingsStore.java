package io.satsuma.profile.adapter.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.satsuma.profile.domain.ProfileSettings;
import io.satsuma.profile.domain.ProfileSettingsStore;
import io.satsuma.support.jdbc.Sql;
import jakarta.inject.Singleton;

// A singleton: a client proxy would need a no-argument constructor, which the base class does not have.
@Singleton
class JdbcProfileSettingsStore extends WorkspaceDocument<ProfileSettings> implements ProfileSettingsStore {
    JdbcProfileSettingsStore(Sql sql, ObjectMapper json) {
        super(sql, json, ProfileSettings.class, "profile_settings", "settings");
    }
}
