-- Each workspace's current predictive models, as insights-service announced them on satsuma.models.v1 (ADR 016):
-- $predicted.* traits are scored with them at evaluation time. Only a higher version replaces a row.
CREATE TABLE predictive_model (
    workspace        TEXT PRIMARY KEY,
    version          BIGINT NOT NULL,
    unit_days        INT NOT NULL,
    calibration_end  DATE NOT NULL,
    customers        INT NOT NULL,
    r                DOUBLE PRECISION NOT NULL,
    alpha            DOUBLE PRECISION NOT NULL,
    a                DOUBLE PRECISION NOT NULL,
    b                DOUBLE PRECISION NOT NULL,
    p                DOUBLE PRECISION NOT NULL,
    q                DOUBLE PRECISION NOT NULL,
    gamma            DOUBLE PRECISION NOT NULL,
    fitted_at        TIMESTAMPTZ NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL
);
