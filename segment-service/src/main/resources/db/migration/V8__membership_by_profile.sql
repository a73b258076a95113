-- A profile's memberships are read on every evaluation, members or not (to know the sequence of a past stay).
-- The partial index (members only) could not serve that read, so each evaluation scanned the workspace's whole
-- membership table: cost grew with the workspace, ~2.6 ms per evaluation at 22,740 rows. One full index serves
-- both that read and the "segments of a profile" lookups (which add `AND member`).
CREATE INDEX membership_by_profile ON membership (workspace, profile_id);
DROP INDEX membership_profile;
