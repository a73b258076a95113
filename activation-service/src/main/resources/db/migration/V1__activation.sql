-- Destinations: where syncs send; secrets are encrypted (AES-GCM) and never returned by the API.
CREATE TABLE destination (
    id                 TEXT PRIMARY KEY,
    workspace          TEXT        NOT NULL,
    name               TEXT        NOT NULL,
    type               TEXT        NOT NULL,
    url                TEXT        NOT NULL,
    secret_ciphertext  TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX destination_workspace ON destination (workspace);

CREATE TABLE sync (
    id              TEXT PRIMARY KEY,
    workspace       TEXT        NOT NULL,
    segment_id      TEXT        NOT NULL,
    destination_id  TEXT        NOT NULL REFERENCES destination (id),
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (workspace, segment_id, destination_id)
);

-- One row per (sync, membership change): the unique key makes a redelivered change a no-op.
CREATE TABLE delivery (
    id               BIGSERIAL PRIMARY KEY,
    workspace        TEXT        NOT NULL,
    sync_id          TEXT        NOT NULL REFERENCES sync (id),
    destination_id   TEXT        NOT NULL,
    change_id        TEXT        NOT NULL,
    segment_id       TEXT        NOT NULL,
    segment_name     TEXT,
    profile_id       TEXT        NOT NULL,
    change           TEXT        NOT NULL,
    changed_at       TIMESTAMPTZ NOT NULL,
    sequence         BIGINT      NOT NULL,
    status           TEXT        NOT NULL,
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ,
    UNIQUE (sync_id, change_id)
);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX delivery_profile ON delivery (sync_id, profile_id, id);
