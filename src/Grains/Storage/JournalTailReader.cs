using Orleans.Serialization;

namespace CustomerGrains.Grains.Storage;

/// <summary>Reads what a customer's activation replays over its snapshot: the journal entries after it.</summary>
public sealed class JournalTailReader(StoreDatabase database, Serializer serializer)
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
}
