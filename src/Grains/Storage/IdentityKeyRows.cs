namespace CustomerGrains.Grains.Storage;

/// <summary>Reads who holds a matching-trait key of a store (<c>cg_identity_keys</c>; written with the journal's commits).</summary>
public sealed class IdentityKeyRows(StoreDatabase database)
{
    /// <summary>The customer that holds the key, or null when none does.</summary>
    public async Task<string?> HolderAsync(string store, string field, string key)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id FROM cg_identity_keys WHERE store = @store AND field = @field AND key = @key";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "field", field);
        StoreDatabase.Parameter(command, "key", key);
        return await command.ExecuteScalarAsync() as string;
    }
}
