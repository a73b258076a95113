-- The next instant at which the passage of time alone changes one of the profile's memberships
-- (an event leaving or entering a window). One row per profile: the earliest such instant.
CREATE TABLE membership_timer (
    workspace   TEXT        NOT NULL,
    profile_id  TEXT        NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace, profile_id)
);
-- Sweeps read only due rows: their cost grows with the due timers, not with all profiles.
CREATE INDEX membership_timer_due ON membership_timer (due_at);
