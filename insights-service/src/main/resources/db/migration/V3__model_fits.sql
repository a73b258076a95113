-- Every fit of a workspace's predictive models (ADR 016), versioned: requested (PENDING), taken by a runner
-- (FITTING), then DONE with the parameters, REFUSED with the reason (too little data) or FAILED.
CREATE TABLE model_fit (
    id               TEXT PRIMARY KEY,
    workspace        TEXT        NOT NULL,
    version          BIGINT      NOT NULL,
    status           TEXT        NOT NULL,
    calibration_end  DATE        NOT NULL,   -- orders up to and including this UTC day
    unit_days        INT         NOT NULL,   -- the models' unit of time, in days (7: weeks, as the papers)
    customers        BIGINT,
    bgnbd            JSONB,                  -- {r, alpha, a, b, logLikelihood, customers}
    gamma_gamma      JSONB,                  -- {p, q, gamma, logLikelihood, customers}
    reason           TEXT,
    fit_millis       BIGINT,
    requested_at     TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ,
    UNIQUE (workspace, version)
);
CREATE INDEX model_fit_pending ON model_fit (requested_at) WHERE status IN ('PENDING', 'FITTING');
