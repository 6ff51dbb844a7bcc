namespace CustomerGrains.Grains.Storage;

/// <summary>Reads who holds a matching-trait key of a store (<c>cg_identity_keys</c>; written with the journal's commits).</summary>
public sealed class IdentityKeyRows(StoreDatabase database)
{
    /// <summary>The customer that holds the key, or null when none does.</summary>
    public Task<string?> HolderAsync(string store, string field, string key) =>
        database.QueryAsync(
            "SELECT customer_id FROM cg_identity_keys WHERE store = @store AND field = @field AND key = @key",
            [("store", store), ("field", field), ("key", key)],
            async reader => await reader.ReadAsync() ? reader.GetString(0) : null);
}
