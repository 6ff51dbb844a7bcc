using System.Globalization;

namespace CustomerGrains.Grains.Storage;

/// <summary>Reads a store's known customers (registered by their first journal commit): what backfills, previews and reconciles walk.</summary>
public sealed class CustomerDirectoryReader(StoreDatabase database)
{
    public async Task<long> CountAsync(string store)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM cg_customers WHERE store = @store";
        StoreDatabase.Parameter(command, "store", store);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The stores with at least one known customer.</summary>
    public async Task<List<string>> StoresAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT store FROM cg_customers";
        var stores = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stores.Add(reader.GetString(0));
        }

        return stores;
    }

    /// <summary>Walks every known customer of a store, a page of ids at a time, in ordinal order, while <paramref name="page"/> says go on.</summary>
    public async Task ForEachPageAsync(string store, int pageSize, Func<List<string>, Task<bool>> page)
    {
        string? after = null;
        List<string> ids;
        while ((ids = await PageAsync(store, after, pageSize)).Count > 0 && await page(ids))
        {
            after = ids[^1];
        }
    }

    /// <summary>Known customer ids after <paramref name="after"/>, in ordinal order.</summary>
    public async Task<List<string>> PageAsync(string store, string? after, int limit)
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
