-- Which transaction last wrote a customer's purchase row (its id, pg_current_xact_id). Transactions commit in any
-- order, so a reader keeps the oldest transaction still running at its read (its snapshot's xmin) and next reads
-- every row written by that transaction or a later one: none is missed (Models/PurchaseIndex).
ALTER TABLE cg_purchases ADD COLUMN IF NOT EXISTS changed bigint NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS cg_purchases_changed ON cg_purchases (store, changed);
