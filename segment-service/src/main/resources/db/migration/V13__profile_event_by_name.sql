-- A backfill page asks which profiles of an id range have an event of a name in a window: with the events
-- ordered by name, then profile, that is one contiguous index range, read once and hashed, where the index
-- by profile had to be probed once per profile and every probe read the event rows to check their names.
-- Built in the migration's transaction, so event writes wait for it (Flyway hangs on CONCURRENTLY, its own
-- lock being a transaction the build waits for). On a large table, build it beforehand without blocking:
--   CREATE INDEX CONCURRENTLY profile_event_name ON profile_event (workspace, name, profile_id, occurred_at);
-- and this migration finds it there.
CREATE INDEX IF NOT EXISTS profile_event_name ON profile_event (workspace, name, profile_id, occurred_at);
