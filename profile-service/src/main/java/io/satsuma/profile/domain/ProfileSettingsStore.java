package io.satsuma.profile.domain;

import java.time.Instant;
import java.util.Optional;

/** Where each workspace's profile settings are kept (none: the defaults apply). */
public interface ProfileSettingsStore {
    Optional<ProfileSettings> find(String workspace);

    void save(String workspace, ProfileSettings settings, Instant at);
}
