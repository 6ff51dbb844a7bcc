namespace CustomerGrains.Grains.Storage;

/// <summary>Reads the membership rows customers wrote in their journal commits, a segment shard's at a time.</summary>
public sealed class MemberRowReader(StoreDatabase database)
{
    /// <summary>The stored rows of one shard of one segment version: its members and the tombstones of those who left.</summary>
    public async Task<List<ShardRow>> LoadShardAsync(string store, Guid segmentUid, int shard)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT customer_id, is_member, entered_at, cause, decision FROM cg_members
             WHERE store = @store AND segment_uid = @uid AND shard = @shard
            """;
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "shard", shard);
        StoreDatabase.Parameter(command, "uid", segmentUid.ToString("N"));
        var rows = new List<ShardRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new ShardRow(
                reader.GetString(0), reader.GetBoolean(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero), reader.GetString(3), reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>The members of a segment version (tombstones left out): what a ranking within a segment reads.</summary>
    public async Task<HashSet<string>> MembersAsync(string store, Guid segmentUid)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id FROM cg_members WHERE store = @store AND segment_uid = @uid AND is_member";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "uid", segmentUid.ToString("N"));
        var members = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            members.Add(reader.GetString(0));
        }

        return members;
    }
}
