-- Which commit last wrote a customer's purchase row: a per-store counter, one more than the store's highest at the
-- time of the write (SQLite has one writer at a time, so the counter grows in commit order). A silo's in-memory copy
-- of the index (Models/PurchaseIndex) reads only the rows written since its last read.
ALTER TABLE cg_purchases ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS cg_purchases_changed ON cg_purchases (store, changed);
