-- A workspace's profile settings (day buckets, retention, private traits). No row: the defaults.
CREATE TABLE profile_settings (
    workspace   TEXT PRIMARY KEY,
    settings    JSONB       NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Per profile, day (UTC) and bucketed event: how many, and the sum of the chosen property.
CREATE TABLE profile_day (
    workspace   TEXT           NOT NULL,
    profile_id  TEXT           NOT NULL,
    day         DATE           NOT NULL,
    event       TEXT           NOT NULL,
    count       BIGINT         NOT NULL,
    sum         NUMERIC(20, 4) NOT NULL,
    PRIMARY KEY (profile_id, day, event)
);
CREATE INDEX profile_day_retention ON profile_day (workspace, day);
