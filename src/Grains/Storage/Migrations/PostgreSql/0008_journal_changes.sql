-- How many membership changes each journal entry decided, and the transaction that wrote it (pg_current_xact_id): the
-- change feed (Feed/) reads the entries that have changes through the partial index, ordered by (txid, seq), and only
-- those of transactions older than every one still running (its snapshot's xmin), so an entry can never appear behind
-- a position a reader has passed. A silo commits one batch at a time, so one customer's entries keep their order.
-- Entries written before this migration count none: the feed starts here.
ALTER TABLE cg_journal ADD COLUMN IF NOT EXISTS changes integer NOT NULL DEFAULT 0;
ALTER TABLE cg_journal ADD COLUMN IF NOT EXISTS txid bigint NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS ix_cg_journal_changes ON cg_journal (store, txid, seq) WHERE changes > 0;
