-- Labels of the training service. Every loan outcome received is kept, once per event id (a redelivery
-- inserts nothing), so the label an application had at any cut-off can be read back: the outcome whose
-- known_at is the latest not after the cut-off (a later, different outcome is a correction, not an overwrite).
CREATE TABLE IF NOT EXISTS training.loan_outcomes (
    event_id text PRIMARY KEY,
    application_id text NOT NULL,
    customer_id text NOT NULL,
    loan_id text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('repaid', 'defaulted')),
    application_time timestamptz NOT NULL,
    -- When the outcome became known in the world: the envelope's event time.
    known_at timestamptz NOT NULL,
    -- When the platform recorded it: the envelope's recorded time; a cut-off may also exclude backfilled outcomes.
    recorded_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- The cut-off query reads each application's latest outcome known by the cut-off.
CREATE INDEX IF NOT EXISTS loan_outcomes_application_known ON training.loan_outcomes (application_id, known_at DESC, recorded_at DESC, event_id DESC);
