-- A workspace's own identity rules (limits and priorities per identifier type, blocked values), replacing
-- the defaults for resolutions made after they are saved. No row: the defaults.
CREATE TABLE identity_rules (
    workspace   TEXT PRIMARY KEY,
    rules       JSONB       NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
