using Orleans.Storage;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Lets one write at a time reach an embedded SQLite database. SQLite has a single writer; when several
/// connections contend, Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping 150 ms and retrying, which
/// measured here turned a 500-event request into seconds. Queuing writers in-process removes the
/// contention; reads still run concurrently (WAL). The gate is the one the journal writer takes too.
/// </summary>
public sealed class SerializedWritesGrainStorage(IGrainStorage inner, StoreDatabase database) : IGrainStorage
{

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var gate = await database.EnterWriteAsync();
        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var gate = await database.EnterWriteAsync();
        await inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
