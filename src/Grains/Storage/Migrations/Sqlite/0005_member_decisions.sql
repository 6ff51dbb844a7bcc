-- Membership rows carry the number of the customer's decision that wrote them, and a leave keeps its row as a
-- tombstone (is_member = 0) instead of deleting it: a shard reloaded from its rows still knows each customer's
-- last decision, so a late, older change cannot undo a newer one across a reload (see SegmentShardGrain).
-- A flag rather than a NULL entered_at: SQLite cannot drop a NOT NULL without copying the table, while adding a
-- column with a default is a change of the schema alone; and the tombstone's entered_at keeps when it left.
-- Rows written before this have decision 0 (unknown: the shard applies whatever comes next, as before).
ALTER TABLE cg_members ADD COLUMN decision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cg_members ADD COLUMN is_member INTEGER NOT NULL DEFAULT 1;
