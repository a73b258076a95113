-- The generation of Redis entries that may be read (ADR 017): every cache key carries it, and an instance whose
-- Redis write went unconfirmed moves it on, so no instance reads an entry that write should have replaced.
CREATE TABLE cache_epoch (
    id     INT PRIMARY KEY CHECK (id = 1),
    epoch  BIGINT NOT NULL
);
INSERT INTO cache_epoch (id, epoch) VALUES (1, 1);
