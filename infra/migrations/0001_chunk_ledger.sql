-- The chunk ledger: one row per loaded chunk, written in the same transaction as the chunk's rows.
-- A chunk found here is never loaded again: this is what makes loading exactly-once in effect under
-- at-least-once delivery (Durable activity retries, resumed CLI runs, redrives).
CREATE TABLE bulkdurable.chunk_ledger (
    job_id       text        NOT NULL,
    chunk_index  integer     NOT NULL CHECK (chunk_index >= 0),
    dataset      text        NOT NULL,
    records      integer     NOT NULL CHECK (records >= 0),
    inserted     bigint      NOT NULL DEFAULT 0,
    updated      bigint      NOT NULL DEFAULT 0,
    unchanged    bigint      NOT NULL DEFAULT 0,
    rejected     bigint      NOT NULL DEFAULT 0,
    started_at   timestamptz NOT NULL DEFAULT now(),
    -- Set by the statement that completes the chunk; a committed row always has it.
    completed_at timestamptz,
    PRIMARY KEY (job_id, chunk_index),
    CONSTRAINT chunk_ledger_counts_add_up
        CHECK (completed_at IS NULL OR inserted + updated + unchanged + rejected = records)
);

COMMENT ON TABLE bulkdurable.chunk_ledger IS
    'One row per chunk loaded by BulkDurable, committed atomically with the chunk''s rows.';
