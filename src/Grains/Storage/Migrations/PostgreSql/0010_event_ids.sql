-- The store-wide claims of event ids (Ingest/EventIdsGrain.cs): which customer each event id was first applied to, for
-- the dedupe window. One row per store per group commit, its claims packed in a blob (16 bytes each: the id's and the
-- customer's 64-bit fingerprints), so the claims cost one row per batch, not one per event; rows older than the window go.
CREATE TABLE IF NOT EXISTS cg_event_ids (
    store       text   NOT NULL,
    recorded_at bigint NOT NULL,
    claims      bytea  NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_cg_event_ids ON cg_event_ids (store, recorded_at);
