-- Membership rows carry the number of the customer's decision that wrote them, and a leave keeps its row as a
-- tombstone (is_member = false) instead of deleting it: a shard reloaded from its rows still knows each customer's
-- last decision, so a late, older change cannot undo a newer one across a reload (see SegmentShardGrain).
-- A flag rather than a NULL entered_at: the same change in both dialects (SQLite cannot drop a NOT NULL without
-- copying the table), and the tombstone's entered_at keeps when it left. Constant defaults: no table rewrite.
-- Rows written before this have decision 0 (unknown: the shard applies whatever comes next, as before).
ALTER TABLE cg_members ADD COLUMN decision bigint NOT NULL DEFAULT 0;
ALTER TABLE cg_members ADD COLUMN is_member boolean NOT NULL DEFAULT true;
