using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// The embedded SQLite database's grain storage: Orleans' ADO.NET provider does the reading and writing, and this
/// wrapper adds two things.
/// <list type="bullet">
/// <item>One write at a time. SQLite has a single writer; when several connections contend, Microsoft.Data.Sqlite answers
/// SQLITE_BUSY by sleeping 150 ms and retrying, which measured here turned a 500-event request into seconds. Queuing writers
/// in-process removes the contention; reads still run concurrently (WAL). The gate is the one the journal writer takes too.</item>
/// <item>A read that finds nothing costs a key lookup. The provider's table keeps each payload inside its primary key's
/// b-tree, so its read walked pages of whole rows even to find no row: for a customer seen for the first time that was a
/// third of the engine's CPU in a cold morning (bench/README, issue 20). A string-keyed grain's read first asks the keys'
/// index (schema migration 12) whether a row exists; when none does, the state is what the provider gives for no row
/// (a new instance, no ETag, <c>RecordExists</c> false) without its read.</item>
/// </list>
/// </summary>
public sealed class SerializedWritesGrainStorage(
    IGrainStorage inner, StoreDatabase database, IOptions<ClusterOptions> cluster, IActivatorProvider activators) : IGrainStorage
{
    private const string Exists = """
        SELECT 1 FROM OrleansStorage INDEXED BY ix_orleansstorage_key
         WHERE GrainIdExtensionString = @key AND GrainTypeString = @type AND ServiceId = @service AND GrainIdN0 = 0 AND GrainIdN1 = 0
        """;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (StringKey(stateName, grainId) is { } key && !await ExistsAsync(stateName, key))
        {
            grainState.State = activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        await inner.ReadStateAsync(stateName, grainId, grainState);
    }

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

    /// <summary>
    /// The row's key as the ADO.NET provider stores a string-keyed grain's (both numeric parts 0, the key as the extension
    /// string, the state name as the type); null for what it keys otherwise (GUID or integer keys, generic type names),
    /// which are read as they always were.
    /// </summary>
    private static string? StringKey(string stateName, GrainId grainId) =>
        stateName.Contains('`', StringComparison.Ordinal) || grainId.TryGetGuidKey(out _, out _) || grainId.TryGetIntegerKey(out _, out _)
            ? null
            : grainId.Key.ToString();

    private Task<bool> ExistsAsync(string stateName, string key) =>
        database.QueryAsync(Exists, [("key", key), ("type", stateName), ("service", cluster.Value.ServiceId)], reader => reader.ReadAsync());
}
