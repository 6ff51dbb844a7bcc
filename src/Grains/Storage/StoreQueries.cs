using CustomerGrains.Grains.Segments;
using Orleans.Serialization;

namespace CustomerGrains.Grains.Storage;

/// <summary>Reads of the engine's own tables: journal tails, shard member rows, the customer index.</summary>
public sealed class StoreQueries(StoreDatabase database, Serializer serializer)
{
    /// <summary>A customer's journal entries after <paramref name="afterSeq"/>, in order.</summary>
    public async Task<List<(long Seq, JournalEntry Entry)>> ReadTailAsync(string store, string customerId, long afterSeq)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, payload FROM cg_journal WHERE store = @store AND customer_id = @customer AND seq > @after ORDER BY seq";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "customer", customerId);
        StoreDatabase.Parameter(command, "after", afterSeq);
        var entries = new List<(long, JournalEntry)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetInt64(0), serializer.Deserialize<JournalEntry>((byte[])reader[1])!.Current()));
        }

        return entries;
    }

    /// <summary>The stored members of one shard of one segment version.</summary>
    public async Task<List<SegmentMember>> LoadShardAsync(string store, Guid segmentUid, int shard)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT customer_id, entered_at, cause FROM cg_members
             WHERE store = @store AND segment_uid = @uid AND shard = @shard
            """;
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "shard", shard);
        StoreDatabase.Parameter(command, "uid", segmentUid.ToString("N"));
        var members = new List<SegmentMember>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            members.Add(new SegmentMember(reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), reader.GetString(2)));
        }

        return members;
    }

    /// <summary>Removes the member rows of a segment's versions other than the ones kept (none: all).</summary>
    public async Task DropOtherVersionsAsync(string store, string segmentId, params Guid[] keep)
    {
        using var gate = await database.EnterWriteAsync();
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM cg_members WHERE store = @store AND segment = @segment AND segment_uid <> @first AND segment_uid <> @second";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "segment", segmentId);
        StoreDatabase.Parameter(command, "first", keep.Length > 0 ? keep[0].ToString("N") : "");
        StoreDatabase.Parameter(command, "second", keep.Length > 1 ? keep[1].ToString("N") : "");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The stored deadlines of one deadline shard.</summary>
    public async Task<List<(string CustomerId, DateTimeOffset Due)>> LoadDeadlinesAsync(string store, int shard)
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
    public async Task<List<(string Store, int Shard)>> DeadlineShardsAsync()
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

    public async Task<long> CountCustomersAsync(string store)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM cg_customers WHERE store = @store";
        StoreDatabase.Parameter(command, "store", store);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Walks every known customer of a store, a page of ids at a time, in ordinal order.</summary>
    public async Task ForEachCustomerPageAsync(string store, int pageSize, Func<List<string>, Task<bool>> page)
    {
        string? after = null;
        List<string> ids;
        while ((ids = await PageCustomersAsync(store, after, pageSize)).Count > 0 && await page(ids))
        {
            after = ids[^1];
        }
    }

    /// <summary>Known customer ids after <paramref name="after"/>, in ordinal order.</summary>
    public async Task<List<string>> PageCustomersAsync(string store, string? after, int limit)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        // Both schemas compare customer ids bytewise (SQLite's BINARY, PostgreSQL's "C" column collation).
        command.CommandText = "SELECT customer_id FROM cg_customers WHERE store = @store AND customer_id > @after ORDER BY customer_id LIMIT @limit";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "after", after ?? "");
        StoreDatabase.Parameter(command, "limit", limit);
        var ids = new List<string>(limit);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
