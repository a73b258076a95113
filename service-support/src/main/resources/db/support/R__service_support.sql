-- The tables every service has, defined once (service-support). A repeatable migration: Flyway runs it
-- after the service's own versioned ones whenever it changes, so every statement must be idempotent.

-- Transactional outbox: events written with the state change they announce; the relay publishes and deletes them.
-- A null payload is a tombstone (compacted topics).
CREATE TABLE IF NOT EXISTS outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    record_key  TEXT        NOT NULL,
    ce_id       TEXT        NOT NULL,
    ce_type     TEXT        NOT NULL,
    ce_time     TIMESTAMPTZ NOT NULL,
    workspace   TEXT        NOT NULL,
    payload     TEXT
);
-- The W3C trace context the event was written in, sent as its traceparent header (one trace across services).
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS trace_parent TEXT;

-- Idempotent-consumer bookkeeping: message ids a consumer has handled, pruned past a horizon longer than the
-- retention of the topics it reads (satsuma.consumer.processed-message-horizon).
CREATE TABLE IF NOT EXISTS processed_message (
    consumer      TEXT        NOT NULL,
    message_id    TEXT        NOT NULL,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX IF NOT EXISTS processed_message_age ON processed_message (processed_at);

-- Operators' replays of dead letters (the dead letters themselves stay in the <topic>.dlq topics).
CREATE TABLE IF NOT EXISTS dead_letter_replay (
    id           TEXT        NOT NULL,
    consumer     TEXT        NOT NULL,
    replayed_at  TIMESTAMPTZ NOT NULL,
    outcome      TEXT        NOT NULL,
    reason       TEXT,
    PRIMARY KEY (id, consumer)
);
