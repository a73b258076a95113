-- The suppression list keeps no raw identifiers (ADR 017): a SHA-256 of "<type>:<value>" recognises an erased
-- person's identifier when it comes back, and tells nobody reading the table who was erased by sight.
ALTER TABLE suppression ADD COLUMN id_hash TEXT;
UPDATE suppression SET id_hash = encode(sha256(convert_to(id_type || ':' || id_value, 'UTF8')), 'hex');
ALTER TABLE suppression DROP CONSTRAINT suppression_pkey;
ALTER TABLE suppression DROP COLUMN id_type;
ALTER TABLE suppression DROP COLUMN id_value;
ALTER TABLE suppression ALTER COLUMN id_hash SET NOT NULL;
ALTER TABLE suppression ADD PRIMARY KEY (workspace, id_hash);
