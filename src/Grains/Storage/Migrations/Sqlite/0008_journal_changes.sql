-- How many membership changes each journal entry decided: the change feed (Feed/) reads the entries that have some,
-- in journal order, through the partial index. Entries written before this migration count none: the feed starts here.
-- SQLite numbers entries in commit order (one writer at a time, AUTOINCREMENT never reuses a number), so the feed's
-- order is the sequence alone and txid stays 0.
ALTER TABLE cg_journal ADD COLUMN changes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cg_journal ADD COLUMN txid INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS ix_cg_journal_changes ON cg_journal (store, txid, seq) WHERE changes > 0;
