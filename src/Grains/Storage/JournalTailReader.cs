namespace CustomerGrains.Grains.Storage;

/// <summary>Reads what a customer's activation replays over its snapshot: the journal entries after it.</summary>
public sealed class JournalTailReader(StoreDatabase database)
{
    /// <summary>A customer's journal entries after <paramref name="afterSeq"/>, in order, as the customer serialized them.</summary>
    public Task<List<(long Seq, byte[] Payload)>> ReadTailAsync(string store, string customerId, long afterSeq) =>
        database.QueryAsync(
            "SELECT seq, payload FROM cg_journal WHERE store = @store AND customer_id = @customer AND seq > @after ORDER BY seq",
            [("store", store), ("customer", customerId), ("after", afterSeq)],
            async reader =>
            {
                var entries = new List<(long, byte[])>();
                while (await reader.ReadAsync())
                {
                    entries.Add((reader.GetInt64(0), (byte[])reader[1]));
                }

                return entries;
            });
}
