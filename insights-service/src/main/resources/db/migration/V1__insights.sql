-- Entries and exits per segment per UTC day; size is derived as the running sum of entries − exits.
CREATE TABLE segment_day (
    workspace   TEXT   NOT NULL,
    segment_id  TEXT   NOT NULL,
    day         DATE   NOT NULL,
    entries     BIGINT NOT NULL DEFAULT 0,
    exits       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace, segment_id, day)
);
