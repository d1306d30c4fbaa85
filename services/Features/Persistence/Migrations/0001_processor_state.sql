-- Stream-processor state of the features service (the offline store's tables belong to
-- CreditRisk.FeatureStore, schema feature_store). Both tables change together, in one transaction per
-- batch, after the batch's feature rows are appended: state and applied events always agree, and the
-- history holds at least what they say was applied.

-- Window state per customer. version counts committed batches that changed it: a writer that read
-- version n may only write n + 1, so two instances can never both apply a batch to one customer.
CREATE TABLE IF NOT EXISTS feature_processor.customer_state (
    customer_id text PRIMARY KEY,
    version bigint NOT NULL,
    state bytea NOT NULL,
    latest bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Raw events whose effect is in the stores: a redelivered or replayed event is recognised and skipped.
CREATE TABLE IF NOT EXISTS feature_processor.applied_events (
    event_id text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
