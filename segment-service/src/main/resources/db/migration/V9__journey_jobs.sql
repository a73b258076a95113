-- A journey series evaluated point in time over every profile of the workspace, as a job: its counts grow page by
-- page with the cursor, in the same transaction, so after a crash it resumes where it stopped and counts nobody twice.
CREATE TABLE journey_job (
    id               TEXT PRIMARY KEY,
    workspace        TEXT        NOT NULL,
    stages           JSONB       NOT NULL,  -- segment ids in priority order, with the version each had at the start
    boundaries       JSONB       NOT NULL,  -- instants: period i runs from boundaries[i] to boundaries[i + 1]
    status           TEXT        NOT NULL,
    total            BIGINT      NOT NULL,
    done             BIGINT      NOT NULL DEFAULT 0,
    cursor           TEXT        NOT NULL DEFAULT '',
    counts           JSONB       NOT NULL,  -- counts[period][from stage][to stage], the last stage being none
    error            TEXT,
    started_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ
);
CREATE INDEX journey_job_running ON journey_job (started_at) WHERE status = 'RUNNING';
CREATE INDEX journey_job_workspace ON journey_job (workspace, started_at);
