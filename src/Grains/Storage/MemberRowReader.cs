using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Storage;

/// <summary>Reads the membership rows customers wrote in their journal commits, a segment shard's at a time.</summary>
public sealed class MemberRowReader(StoreDatabase database)
{
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
}
