-- Grain state by key alone (ARCHITECTURE: The path of one event, activation): OrleansStorage keeps each state's payload
-- inside its primary key's b-tree (WITHOUT ROWID), so a lookup walks pages of ~4 KB rows, and a customer seen for the
-- first time paid that walk to find nothing (~20 µs, a third of a cold morning's CPU). This index holds the keys only:
-- an activation asks it first whether there is a row to read. Rows only ever gain entries here on insert; a write that
-- replaces a payload leaves the index as it is.
CREATE INDEX IF NOT EXISTS ix_orleansstorage_key
    ON OrleansStorage (GrainIdExtensionString, GrainTypeString, ServiceId, GrainIdN0, GrainIdN1);
