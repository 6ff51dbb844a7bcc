namespace CustomerGrains.Grains.Storage;

/// <summary>Reads what a customer's activation replays over its snapshot: the journal entries after it.</summary>
public sealed class JournalTailReader(StoreDatabase database)
{
    /// <summary>A customer's journal entries after <paramref name="afterSeq"/>, in order, as the customer serialized them.</summary>
    public async Task<List<(long Seq, byte[] Payload)>> ReadTailAsync(string store, string customerId, long afterSeq)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, payload FROM cg_journal WHERE store = @store AND customer_id = @customer AND seq > @after ORDER BY seq";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "customer", customerId);
        StoreDatabase.Parameter(command, "after", afterSeq);
        var entries = new List<(long, byte[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetInt64(0), (byte[])reader[1]));
        }

        return entries;
    }
}
