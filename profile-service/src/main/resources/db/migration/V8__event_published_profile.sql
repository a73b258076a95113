-- The profile an event was published under on satsuma.profile-events.v1: its record key there is
-- <published_profile_id>/<message_id>, the key erasure publishes a tombstone under (ADR 018). Merges and unmerges
-- move profile_id, never this. Events recorded before have none; erasure tombstones their profile_id and origin.
ALTER TABLE event ADD COLUMN published_profile_id TEXT;
