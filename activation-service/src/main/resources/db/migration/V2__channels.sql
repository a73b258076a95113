-- Destinations of every channel type: plain settings in config; secrets (a JSON object) encrypted in secret_ciphertext.
ALTER TABLE destination ADD COLUMN config JSONB NOT NULL DEFAULT '{}';
UPDATE destination SET config = jsonb_build_object('url', url) WHERE type = 'webhook';
ALTER TABLE destination DROP COLUMN url;

-- Syncs: what they do, how, whether paused; audience syncs' counters and full-upload progress.
ALTER TABLE sync ADD COLUMN mode TEXT NOT NULL DEFAULT 'ON_ENTER_AND_EXIT';
ALTER TABLE sync ADD COLUMN settings JSONB NOT NULL DEFAULT '{}';
ALTER TABLE sync ADD COLUMN state TEXT NOT NULL DEFAULT 'ACTIVE';
ALTER TABLE sync ADD COLUMN paused_reason TEXT;
ALTER TABLE sync ADD COLUMN sent_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync ADD COLUMN failed_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync ADD COLUMN last_error TEXT;
ALTER TABLE sync ADD COLUMN last_error_at TIMESTAMPTZ;
ALTER TABLE sync ADD COLUMN upload_total BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync ADD COLUMN upload_started_at TIMESTAMPTZ;
ALTER TABLE sync ADD COLUMN upload_finished_at TIMESTAMPTZ;
ALTER TABLE sync ADD COLUMN upload_batches INT NOT NULL DEFAULT 0;
-- A full upload walks the segment's members by profile id (then, for a resync, the ledger's people no longer in it),
-- page by page: how far it got survives a crash.
ALTER TABLE sync ADD COLUMN upload_phase TEXT;
ALTER TABLE sync ADD COLUMN upload_cursor TEXT;
ALTER TABLE sync ADD COLUMN upload_done BIGINT NOT NULL DEFAULT 0;
-- An audience sync is worked by one lane at a time (its batches go in order): the instance running it holds this
-- lease, renewed while it runs; a crashed instance's sync is taken over once the lease lapses.
ALTER TABLE sync ADD COLUMN lease_owner TEXT;
ALTER TABLE sync ADD COLUMN lease_until TIMESTAMPTZ;
CREATE INDEX sync_destination ON sync (destination_id);
CREATE INDEX sync_segment ON sync (workspace, segment_id);

-- Message deliveries: leased by a lane while it sends (no HTTP inside a transaction); SKIPPED on purpose.
ALTER TABLE delivery ADD COLUMN leased_until TIMESTAMPTZ;
DROP INDEX delivery_due;
CREATE INDEX delivery_due ON delivery (destination_id, next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX delivery_of_profile ON delivery (workspace, profile_id, id);

-- activation's projection of profiles (satsuma.profiles.v1): how each person can be reached. reach_digest tells
-- whether a new snapshot changes anything a channel sees.
CREATE TABLE contact (
    workspace     TEXT        NOT NULL,
    profile_id    TEXT        NOT NULL,
    version       BIGINT      NOT NULL,
    status        TEXT        NOT NULL,
    identifiers   JSONB       NOT NULL,
    traits        JSONB       NOT NULL,
    consent       JSONB       NOT NULL,
    push_tokens   JSONB       NOT NULL,
    reach_digest  TEXT        NOT NULL,
    updated_at    TIMESTAMPTZ,
    PRIMARY KEY (workspace, profile_id)
);

-- activation's projection of segment membership (satsuma.memberships.v1), sequence-checked per (segment, profile).
CREATE TABLE segment_member (
    workspace   TEXT    NOT NULL,
    segment_id  TEXT    NOT NULL,
    profile_id  TEXT    NOT NULL,
    member      BOOLEAN NOT NULL,
    holdout     BOOLEAN NOT NULL,
    sequence    BIGINT  NOT NULL,
    PRIMARY KEY (workspace, segment_id, profile_id)
);
CREATE INDEX segment_member_profile ON segment_member (workspace, profile_id);

-- What each audience destination holds, as confirmed: the keys to remove a person (hashes or ids, no address).
CREATE TABLE audience_ledger (
    sync_id     TEXT        NOT NULL REFERENCES sync (id),
    profile_id  TEXT        NOT NULL,
    removal     TEXT        NOT NULL, -- JSON, never queried: text is cheaper to write and read
    digest      TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sync_id, profile_id)
);

-- People whose place in an audience must be reconciled, due at a time (the linger batches changes); mark grows when
-- they are marked again while a lane works on them, so the lane's record keeps them for another pass.
CREATE TABLE audience_dirty (
    sync_id       TEXT        NOT NULL REFERENCES sync (id),
    profile_id    TEXT        NOT NULL,
    mark          BIGINT      NOT NULL DEFAULT 1,
    due_at        TIMESTAMPTZ NOT NULL,
    attempts      INT         NOT NULL DEFAULT 0,
    last_error    TEXT,
    PRIMARY KEY (sync_id, profile_id)
);
CREATE INDEX audience_dirty_due ON audience_dirty (sync_id, due_at, profile_id);

-- Who holds a delivery's lease: a running instance renews its leases every few seconds, so a crashed one's messages
-- are free again within a lease (30 s) while a slow call of a live one keeps its own.
ALTER TABLE delivery ADD COLUMN leased_by TEXT;
CREATE INDEX delivery_leased ON delivery (leased_by) WHERE leased_until IS NOT NULL AND status = 'PENDING';
