namespace CustomerGrains.Grains.Storage;

/// <summary>Reads a store's event-id claims within the dedupe window, and drops those older (<c>cg_event_ids</c>).</summary>
public sealed class EventClaimRows(StoreDatabase database)
{
    /// <summary>Each stored row of the store recorded at or after <paramref name="sinceUnixMs"/>: when, and its claims blob.</summary>
    public async Task<List<(long RecordedAtUnixMs, byte[] Claims)>> LoadAsync(string store, long sinceUnixMs)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT recorded_at, claims FROM cg_event_ids WHERE store = @store AND recorded_at >= @since ORDER BY recorded_at";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "since", sinceUnixMs);
        var rows = new List<(long, byte[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    /// <summary>Drops the store's claims recorded before <paramref name="beforeUnixMs"/> (past the dedupe window).</summary>
    public async Task DropBeforeAsync(string store, long beforeUnixMs)
    {
        using var gate = await database.EnterWriteAsync();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM cg_event_ids WHERE store = @store AND recorded_at < @before";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "before", beforeUnixMs);
        await command.ExecuteNonQueryAsync();
    }
}
