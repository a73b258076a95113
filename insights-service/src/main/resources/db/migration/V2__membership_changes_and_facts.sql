-- Every membership change as segment-service numbered it. Intervals are paired by sequence when measured, so late,
-- repeated and reordered deliveries give the same intervals.
CREATE TABLE membership_change (
    workspace   TEXT        NOT NULL,
    segment_id  TEXT        NOT NULL,
    profile_id  TEXT        NOT NULL,
    sequence    BIGINT      NOT NULL,
    entered     BOOLEAN     NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    holdout     BOOLEAN     NOT NULL,
    PRIMARY KEY (workspace, segment_id, profile_id, sequence)
);

-- Orders, refunds and email engagement of profiles, in event time, once per event id.
CREATE TABLE profile_fact (
    workspace   TEXT           NOT NULL,
    event_id    TEXT           NOT NULL,
    profile_id  TEXT           NOT NULL,
    kind        TEXT           NOT NULL,
    order_id    TEXT,
    amount      NUMERIC(20, 4) NOT NULL,
    at          TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (workspace, event_id)
);
CREATE INDEX profile_fact_by_profile ON profile_fact (workspace, profile_id, at);

-- Entries a sync delivered (status SENT), once per delivery id: the touches revenue is attributed to.
CREATE TABLE delivery (
    workspace    TEXT        NOT NULL,
    delivery_id  TEXT        NOT NULL,
    sync_id      TEXT        NOT NULL,
    profile_id   TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace, delivery_id)
);
CREATE INDEX delivery_by_sync ON delivery (workspace, sync_id, at);
CREATE INDEX delivery_by_profile ON delivery (workspace, profile_id, at);

-- The product lines of orders (product and category), for repeat purchases: once per event and line.
CREATE TABLE order_line (
    workspace   TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    line        INT         NOT NULL,
    profile_id  TEXT        NOT NULL,
    product_id  TEXT        NOT NULL,
    category    TEXT,
    at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace, event_id, line)
);
CREATE INDEX order_line_by_time ON order_line (workspace, at);
