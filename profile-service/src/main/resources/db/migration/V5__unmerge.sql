-- Unmerge needs to know what each profile brought: the profile an identifier or event was first
-- attributed to (its origin) survives merges, which only move profile_id.
ALTER TABLE identity ADD COLUMN origin_profile_id TEXT;
UPDATE identity SET origin_profile_id = profile_id;
ALTER TABLE identity ALTER COLUMN origin_profile_id SET NOT NULL;

ALTER TABLE event ADD COLUMN origin_profile_id TEXT;
UPDATE event SET origin_profile_id = profile_id;
ALTER TABLE event ALTER COLUMN origin_profile_id SET NOT NULL;
CREATE INDEX event_profile_origin ON event (profile_id, origin_profile_id);

-- Pairs of profiles an operator separated: resolution refuses to merge them again. A merge hands the
-- absorbed profile's separations to the survivor.
CREATE TABLE separation (
    workspace   TEXT        NOT NULL,
    profile_id  TEXT        NOT NULL,
    other_id    TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace, profile_id, other_id)
);

-- Identity rules gained the unique and login flags; saved rules get the defaults (user_id is a login id).
UPDATE identity_rules SET rules = jsonb_set(rules, '{types}', (
    SELECT jsonb_object_agg(t.type, t.rule || jsonb_build_object('unique', true, 'login', t.type = 'user_id'))
    FROM jsonb_each(rules -> 'types') AS t(type, rule)));
