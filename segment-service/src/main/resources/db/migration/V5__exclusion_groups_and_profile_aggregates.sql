-- Exclusion groups: a profile is in at most one segment of a group, the matching one of highest
-- priority (lowest number).
ALTER TABLE segment ADD COLUMN exclusion_group TEXT;
ALTER TABLE segment ADD COLUMN group_priority INT;
ALTER TABLE segment_version ADD COLUMN exclusion_group TEXT;
ALTER TABLE segment_version ADD COLUMN group_priority INT;

-- The behavioural aggregates of the latest snapshot (first/last seen, orders, revenue), visible to
-- conditions as "$profile.<name>".
ALTER TABLE profile_state ADD COLUMN aggregates JSONB NOT NULL DEFAULT '{}'::jsonb;
