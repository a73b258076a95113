CREATE TABLE segment (
    id           TEXT PRIMARY KEY,
    workspace    TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    description  TEXT,
    condition    JSONB       NOT NULL,
    version      BIGINT      NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    deleted_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX segment_live_name ON segment (workspace, lower(name)) WHERE deleted_at IS NULL;

-- Every version of every definition, so that an edit never loses what the segment used to mean.
CREATE TABLE segment_version (
    segment_id   TEXT        NOT NULL REFERENCES segment (id),
    version      BIGINT      NOT NULL,
    name         TEXT        NOT NULL,
    condition    JSONB       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (segment_id, version)
);

-- The evaluation state of a profile, fed by satsuma.profiles.v1 and satsuma.profile-events.v1.
CREATE TABLE profile_state (
    workspace           TEXT        NOT NULL,
    profile_id          TEXT        NOT NULL,
    snapshot_version    BIGINT      NOT NULL DEFAULT 0,
    status              TEXT        NOT NULL DEFAULT 'ACTIVE',
    merged_into         TEXT,
    traits              JSONB       NOT NULL DEFAULT '{}'::jsonb,
    membership_version  BIGINT      NOT NULL DEFAULT 0,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, profile_id)
);

CREATE TABLE profile_identifier (
    workspace   TEXT NOT NULL,
    id_type     TEXT NOT NULL,
    id_value    TEXT NOT NULL,
    profile_id  TEXT NOT NULL,
    PRIMARY KEY (workspace, id_type, id_value)
);
CREATE INDEX profile_identifier_profile ON profile_identifier (workspace, profile_id);

CREATE TABLE profile_event (
    workspace    TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    profile_id   TEXT        NOT NULL,
    name         TEXT,
    occurred_at  TIMESTAMPTZ NOT NULL,
    properties   JSONB,
    PRIMARY KEY (workspace, event_id)
);
CREATE INDEX profile_event_profile_time ON profile_event (workspace, profile_id, occurred_at);

-- Current membership (member = true) and the per-(segment, profile) change sequence, kept after exit.
CREATE TABLE membership (
    workspace   TEXT        NOT NULL,
    segment_id  TEXT        NOT NULL,
    profile_id  TEXT        NOT NULL,
    member      BOOLEAN     NOT NULL,
    sequence    BIGINT      NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    holdout     BOOLEAN     NOT NULL DEFAULT FALSE,
    PRIMARY KEY (workspace, segment_id, profile_id)
);
CREATE INDEX membership_profile ON membership (workspace, profile_id) WHERE member;

-- Append-only history: one row per stay in a segment.
CREATE TABLE membership_history (
    id           BIGSERIAL PRIMARY KEY,
    workspace    TEXT        NOT NULL,
    segment_id   TEXT        NOT NULL,
    profile_id   TEXT        NOT NULL,
    entered_at   TIMESTAMPTZ NOT NULL,
    exited_at    TIMESTAMPTZ,
    enter_cause  TEXT        NOT NULL,
    exit_cause   TEXT
);
CREATE INDEX membership_history_profile ON membership_history (workspace, profile_id, segment_id);
