-- When each customer must next be re-evaluated because time alone may move it (windows, days_since, age).
-- Written in the customer's journal commit; deadline grains load their shard's rows when they activate.
CREATE TABLE IF NOT EXISTS cg_deadlines
(
    store       TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    shard       INTEGER NOT NULL,
    due_at      BIGINT  NOT NULL,  -- UTC ticks
    PRIMARY KEY (store, customer_id)
);

CREATE INDEX IF NOT EXISTS ix_cg_deadlines_shard ON cg_deadlines (store, shard, due_at);
