-- Identifiers of erased people: events carrying one are dropped instead of re-creating the profile,
-- until an admin lifts the suppression.
CREATE TABLE suppression (
    workspace   TEXT        NOT NULL,
    id_type     TEXT        NOT NULL,
    id_value    TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace, id_type, id_value)
);
