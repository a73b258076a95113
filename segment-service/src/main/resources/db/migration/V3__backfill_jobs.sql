-- A backfill evaluates one segment version over every profile of the workspace. The row is written in
-- the transaction that saved the definition, and its cursor advances page by page: after a crash the
-- job resumes where it stopped.
CREATE TABLE backfill_job (
    id               TEXT PRIMARY KEY,
    workspace        TEXT        NOT NULL,
    segment_id       TEXT        NOT NULL,
    segment_version  BIGINT      NOT NULL,
    status           TEXT        NOT NULL,
    total            BIGINT      NOT NULL,
    done             BIGINT      NOT NULL DEFAULT 0,
    changed          BIGINT      NOT NULL DEFAULT 0,
    cursor           TEXT        NOT NULL DEFAULT '',
    started_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ
);
CREATE INDEX backfill_job_running ON backfill_job (started_at) WHERE status = 'RUNNING';
CREATE INDEX backfill_job_segment ON backfill_job (workspace, segment_id, started_at);
