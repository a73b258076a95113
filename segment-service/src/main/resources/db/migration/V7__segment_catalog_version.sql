-- A version per workspace's definitions, bumped (from a sequence, so never reused even after a
-- rollback) by every create/edit/delete: evaluations reuse the parsed, linked definitions while it holds.
CREATE SEQUENCE segment_catalog_version;
CREATE TABLE segment_catalog (
    workspace  TEXT PRIMARY KEY,
    version    BIGINT NOT NULL
);
INSERT INTO segment_catalog (workspace, version)
SELECT w.workspace, nextval('segment_catalog_version') FROM (SELECT DISTINCT workspace FROM segment) w;
