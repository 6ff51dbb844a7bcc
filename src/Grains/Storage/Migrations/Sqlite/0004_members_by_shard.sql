-- Membership rows keyed by (store, segment version, shard, customer): the key itself serves a shard's reload,
-- so the separate shard index goes, and every membership change updates two B-trees instead of three.
-- (The shard of a customer in a segment version never changes: versions keep their shard count.)
CREATE TABLE cg_members_by_shard
(
    store       TEXT    NOT NULL,
    segment     TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    segment_uid TEXT    NOT NULL,
    shard       INTEGER NOT NULL,
    entered_at  INTEGER NOT NULL,  -- UTC ticks
    cause       TEXT    NOT NULL,
    PRIMARY KEY (store, segment_uid, shard, customer_id)
) WITHOUT ROWID;

INSERT INTO cg_members_by_shard (store, segment, customer_id, segment_uid, shard, entered_at, cause)
SELECT store, segment, customer_id, segment_uid, shard, entered_at, cause FROM cg_members;

DROP TABLE cg_members;
ALTER TABLE cg_members_by_shard RENAME TO cg_members;
CREATE INDEX ix_cg_members_segment ON cg_members (store, segment);
