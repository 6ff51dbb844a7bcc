-- Membership rows keyed by (store, segment version, shard, customer): the key itself serves a shard's reload,
-- so the separate shard index goes, and every membership change maintains two indexes instead of three.
-- (The shard of a customer in a segment version never changes: versions keep their shard count.)
ALTER TABLE cg_members DROP CONSTRAINT cg_members_pkey;
ALTER TABLE cg_members ADD PRIMARY KEY (store, segment_uid, shard, customer_id);
DROP INDEX IF EXISTS ix_cg_members_shard;
