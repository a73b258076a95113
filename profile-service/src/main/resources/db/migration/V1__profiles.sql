-- Sources: where events come from; the write key is stored only as its SHA-256.
CREATE TABLE source (
    id              TEXT PRIMARY KEY,
    workspace       TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    write_key_hash  TEXT        NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at      TIMESTAMPTZ
);
CREATE INDEX source_workspace ON source (workspace);

CREATE TABLE profile (
    id              TEXT PRIMARY KEY,
    workspace       TEXT        NOT NULL,
    version         BIGINT      NOT NULL,
    status          TEXT        NOT NULL,
    merged_into     TEXT,
    traits          JSONB       NOT NULL DEFAULT '{}'::jsonb,
    event_count     BIGINT      NOT NULL DEFAULT 0,
    order_count     BIGINT      NOT NULL DEFAULT 0,
    total_revenue   NUMERIC(20, 4) NOT NULL DEFAULT 0,
    first_seen_at   TIMESTAMPTZ,
    last_seen_at    TIMESTAMPTZ,
    last_order_at   TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX profile_workspace ON profile (workspace);

-- The identity graph: each identifier belongs to exactly one profile (the primary key makes
-- concurrent creation of the same identifier fail instead of duplicating a person).
CREATE TABLE identity (
    workspace   TEXT        NOT NULL,
    id_type     TEXT        NOT NULL,
    id_value    TEXT        NOT NULL,
    profile_id  TEXT        NOT NULL REFERENCES profile (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace, id_type, id_value)
);
CREATE INDEX identity_profile ON identity (profile_id);

CREATE TABLE event (
    workspace    TEXT        NOT NULL,
    message_id   TEXT        NOT NULL,
    profile_id   TEXT        NOT NULL REFERENCES profile (id),
    type         TEXT        NOT NULL,
    name         TEXT,
    occurred_at  TIMESTAMPTZ NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    source_id    TEXT        NOT NULL,
    properties   JSONB,
    traits       JSONB,
    context      JSONB,
    PRIMARY KEY (workspace, message_id)
);
CREATE INDEX event_profile_time ON event (profile_id, occurred_at);

CREATE TABLE merge_journal (
    id               BIGSERIAL PRIMARY KEY,
    workspace        TEXT        NOT NULL,
    survivor_id      TEXT        NOT NULL,
    absorbed_id      TEXT,
    outcome          TEXT        NOT NULL,
    rule             TEXT,
    reason           TEXT,
    identifier_type  TEXT,
    message_id       TEXT,
    at               TIMESTAMPTZ NOT NULL
);
CREATE INDEX merge_journal_survivor ON merge_journal (workspace, survivor_id);
CREATE INDEX merge_journal_absorbed ON merge_journal (workspace, absorbed_id);
