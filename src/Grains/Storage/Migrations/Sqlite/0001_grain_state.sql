-- CustomerGrains schema for the embedded SQLite store: grain state for the Orleans ADO.NET
-- persistence provider. Written for this project against the provider's query contract:
-- the provider reads its statements from OrleansQuery by key and binds parameters by name.


CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- One row per (service, state name, grain). The hash columns are part of the contract; the natural
-- key is what makes a row unique. GrainIdExtensionString holds a string grain key ('' when none).
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              TEXT    NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL,
    GrainIdHash            INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
) WITHOUT ROWID;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey',
'SELECT PayloadBinary, Version
   FROM OrleansStorage
  WHERE ServiceId = @ServiceId
    AND GrainTypeString = @GrainTypeString
    AND GrainIdN0 = @GrainIdN0
    AND GrainIdN1 = @GrainIdN1
    AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
    AND GrainIdHash = @GrainIdHash
    AND GrainTypeHash = @GrainTypeHash;'),

-- Optimistic concurrency: a first write (no version) inserts version 1; later writes must name the
-- stored version and bump it. Exactly one row comes back: the new version, or NULL on a conflict.
('WriteToStorageKey',
'INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
                            GrainIdHash, GrainTypeHash, PayloadBinary, ModifiedOn, Version)
 VALUES (@ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''),
         @GrainIdHash, @GrainTypeHash, @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1)
 ON CONFLICT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString) DO UPDATE
    SET PayloadBinary = excluded.PayloadBinary,
        ModifiedOn = excluded.ModifiedOn,
        Version = OrleansStorage.Version + 1
  WHERE @GrainStateVersion IS NOT NULL AND OrleansStorage.Version = @GrainStateVersion
 RETURNING Version AS NewGrainStateVersion;
 SELECT NULL AS NewGrainStateVersion WHERE changes() = 0;'),

-- Clearing keeps the row (payload NULL) so the version sequence continues.
('ClearStorageKey',
'UPDATE OrleansStorage
    SET PayloadBinary = NULL,
        ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
        Version = Version + 1
  WHERE ServiceId = @ServiceId
    AND GrainTypeString = @GrainTypeString
    AND GrainIdN0 = @GrainIdN0
    AND GrainIdN1 = @GrainIdN1
    AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '''')
    AND Version = @GrainStateVersion
 RETURNING Version;
 SELECT NULL AS Version WHERE changes() = 0;')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
