-- What the workspace has seen: event names with their properties' JSON types, and trait names with
-- theirs. Used to warn about unknown names and refuse type errors when a segment is saved.
CREATE TABLE event_catalog (
    workspace   TEXT NOT NULL,
    event_name  TEXT NOT NULL,
    property    TEXT NOT NULL,
    value_type  TEXT NOT NULL,
    PRIMARY KEY (workspace, event_name, property, value_type)
);

CREATE TABLE trait_catalog (
    workspace   TEXT NOT NULL,
    trait       TEXT NOT NULL,
    value_type  TEXT NOT NULL,
    PRIMARY KEY (workspace, trait, value_type)
);
