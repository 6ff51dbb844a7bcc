namespace CustomerGrains.Grains.Storage;

/// <summary>Reads the deadlines customers wrote in their journal commits, for the deadline shards that keep them.</summary>
public sealed class DeadlineRowReader(StoreDatabase database)
{
    /// <summary>The stored deadlines of one deadline shard.</summary>
    public async Task<List<(string CustomerId, DateTimeOffset Due)>> LoadShardAsync(string store, int shard)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id, due_at FROM cg_deadlines WHERE store = @store AND shard = @shard";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "shard", shard);
        var deadlines = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            deadlines.Add((reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero)));
        }

        return deadlines;
    }

    /// <summary>Every (store, shard) that has at least one stored deadline.</summary>
    public async Task<List<(string Store, int Shard)>> ShardsWithDeadlinesAsync()
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT store, shard FROM cg_deadlines";
        var shards = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            shards.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return shards;
    }
}
