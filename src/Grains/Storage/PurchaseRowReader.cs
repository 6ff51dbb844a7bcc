namespace CustomerGrains.Grains.Storage;

/// <summary>Reads the purchase days customers wrote in their journal commits (<c>cg_purchases</c>): what a store's purchase models are fitted from.</summary>
public sealed class PurchaseRowReader(StoreDatabase database)
{
    /// <summary>Every stored customer of the store with its encoded purchase days, in one pass, one row at a time.</summary>
    public async Task ForEachAsync(string store, Action<string, byte[]> row, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id, days FROM cg_purchases WHERE store = @store";
        StoreDatabase.Parameter(command, "store", store);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader.GetString(0), (byte[])reader.GetValue(1));
        }
    }
}
