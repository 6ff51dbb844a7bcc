-- Matching traits (ARCHITECTURE: Where identities are merged): which customer of a store first held a normalised e-mail
-- or phone, as a 128-bit hash in hex (never the value itself). A customer that takes a value another holds is merged into
-- that one. Written with the customer's journal commits, only when the value changes; erased with the customer.
CREATE TABLE IF NOT EXISTS cg_identity_keys (
    store       text NOT NULL,
    field       text NOT NULL,
    key         text NOT NULL,
    customer_id text NOT NULL,
    PRIMARY KEY (store, field, key)
);
CREATE INDEX IF NOT EXISTS ix_cg_identity_keys_customer ON cg_identity_keys (store, customer_id);
