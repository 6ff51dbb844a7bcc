-- The engine's own tables, written in batches across grains (group commit):
-- cg_journal   what each customer applied, in order; replayed over its last snapshot on activation
-- cg_members   exact segment membership rows, per segment version, written by the customer that decided them
-- cg_customers the store's known customers (what backfills walk)

CREATE TABLE IF NOT EXISTS cg_journal
(
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store       text   NOT NULL,
    customer_id text   NOT NULL,
    recorded_at bigint NOT NULL,  -- Unix milliseconds
    payload     bytea  NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_cg_journal_customer ON cg_journal (store, customer_id, seq);

CREATE TABLE IF NOT EXISTS cg_members
(
    store       text    NOT NULL,
    segment     text    NOT NULL,
    customer_id text    NOT NULL,
    segment_uid text    NOT NULL,
    shard       integer NOT NULL,
    entered_at  bigint  NOT NULL,  -- UTC ticks
    cause       text    NOT NULL,
    PRIMARY KEY (store, segment_uid, customer_id)
);

CREATE INDEX IF NOT EXISTS ix_cg_members_shard ON cg_members (store, segment_uid, shard);
CREATE INDEX IF NOT EXISTS ix_cg_members_segment ON cg_members (store, segment);

-- Byte order ("C"), so paging by customer id follows the index and matches .NET's ordinal order.
CREATE TABLE IF NOT EXISTS cg_customers
(
    store       text NOT NULL,
    customer_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (store, customer_id)
);
