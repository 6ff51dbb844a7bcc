-- The engine's own tables, written in batches across grains (group commit):
-- cg_journal   what each customer applied, in order; replayed over its last snapshot on activation
-- cg_members   exact segment membership rows, per segment version, written by the customer that decided them
-- cg_customers the store's known customers (what backfills walk)

CREATE TABLE IF NOT EXISTS cg_journal
(
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    store       TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,  -- Unix milliseconds
    payload     BLOB    NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_cg_journal_customer ON cg_journal (store, customer_id, seq);

CREATE TABLE IF NOT EXISTS cg_members
(
    store       TEXT    NOT NULL,
    segment     TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    segment_uid TEXT    NOT NULL,
    shard       INTEGER NOT NULL,
    entered_at  INTEGER NOT NULL,  -- UTC ticks
    cause       TEXT    NOT NULL,
    PRIMARY KEY (store, segment_uid, customer_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_cg_members_shard ON cg_members (store, segment_uid, shard);
CREATE INDEX IF NOT EXISTS ix_cg_members_segment ON cg_members (store, segment);

CREATE TABLE IF NOT EXISTS cg_customers
(
    store       TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (store, customer_id)
) WITHOUT ROWID;
