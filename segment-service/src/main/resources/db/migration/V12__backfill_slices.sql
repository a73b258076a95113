-- A backfill runs as slices of the workspace's profile ids, each with its own cursor, so that several
-- connections (of one instance or of several) work on one job at once, each holding only its slice's row.
-- A slice covers the ids after the previous slice's last id, up to its own last id (NULL: to the end), in
-- pages planned from a sample when the job started (page_ends: the ids that end its pages before last_id).
-- The job's progress is the sum of its slices'; backfill_job's done, changed and cursor are no longer written.
CREATE TABLE backfill_slice (
    job_id      TEXT        NOT NULL REFERENCES backfill_job (id),
    slice       INT         NOT NULL,
    last_id     TEXT,
    page_ends   TEXT[]      NOT NULL DEFAULT '{}',
    cursor      TEXT        NOT NULL,
    done        BIGINT      NOT NULL DEFAULT 0,
    changed     BIGINT      NOT NULL DEFAULT 0,
    finished    BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_id, slice)
);

-- Jobs from before: one slice each, carrying their cursor and progress (a running one resumes where it was).
INSERT INTO backfill_slice (job_id, slice, last_id, cursor, done, changed, finished, updated_at)
SELECT id, 0, NULL, cursor, done, changed, status <> 'RUNNING', updated_at FROM backfill_job;
