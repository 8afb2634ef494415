-- Which plan (manifest) a ledger row belongs to. A chunk index only means something within one
-- plan: a job id used again after its files were lost must not find the old job's chunks "done".
ALTER TABLE bulkdurable.chunk_ledger ADD COLUMN plan_id text;

COMMENT ON COLUMN bulkdurable.chunk_ledger.plan_id IS
    'The plan (manifest.json planId) the chunk index refers to; a delivery under another plan is refused.';
