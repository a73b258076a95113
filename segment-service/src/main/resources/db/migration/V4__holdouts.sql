-- A segment may hold out a stable, hash-assigned percentage of its members as a control group.
ALTER TABLE segment ADD COLUMN holdout_percent NUMERIC(5, 2) NOT NULL DEFAULT 0;
ALTER TABLE segment_version ADD COLUMN holdout_percent NUMERIC(5, 2) NOT NULL DEFAULT 0;
