-- Checkpoints replace per-event bookkeeping. The processor keeps customer states in memory and, every
-- checkpoint interval, stores the changed states together with the next source offset of every partition it
-- owns, in one transaction. A record below its partition's stored offset is applied (redelivery, a replay
-- by another consumer group); a record above it is re-applied to the checkpointed state after a crash, and its
-- writes are idempotent. next_offset is fenced like the states: a writer moves it only from the value it read.
CREATE TABLE IF NOT EXISTS feature_processor.source_offsets (
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);

DROP TABLE IF EXISTS feature_processor.applied_events;
