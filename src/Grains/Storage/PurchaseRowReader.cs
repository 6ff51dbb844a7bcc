namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Reads the purchase-index rows customers wrote in their journal commits (<c>cg_purchases</c>): what a store's purchase
/// models are fitted from, rankings read and segment stats count members' orders in. Each row's blobs come back as
/// stored: the order list (null on a row written before schema migration 9) and the days (empty on a row written since).
/// </summary>
public sealed class PurchaseRowReader(StoreDatabase database)
{
    /// <summary>Every stored customer of the store with its encoded days and order list, in one pass, one row at a time.</summary>
    public async Task ForEachAsync(string store, Action<string, byte[], byte[]?> row, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id, days, order_list FROM cg_purchases WHERE store = @store";
        StoreDatabase.Parameter(command, "store", store);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader.GetString(0), (byte[])reader.GetValue(1), Blob(reader, 2));
        }
    }

    /// <summary>
    /// Walks the store's customers with a purchase row (those with orders), a page of ids at a time in ordinal order,
    /// while <paramref name="page"/> says go on.
    /// </summary>
    public async Task ForEachBuyerPageAsync(string store, int pageSize, Func<List<string>, Task<bool>> page)
    {
        var after = "";
        while (true)
        {
            await using var connection = await database.OpenAsync();
            await using var command = connection.CreateCommand();
            // Both schemas compare customer ids bytewise (SQLite's BINARY, PostgreSQL's "C" column collation).
            command.CommandText = "SELECT customer_id FROM cg_purchases WHERE store = @store AND customer_id > @after ORDER BY customer_id LIMIT @limit";
            StoreDatabase.Parameter(command, "store", store);
            StoreDatabase.Parameter(command, "after", after);
            StoreDatabase.Parameter(command, "limit", pageSize);
            var ids = new List<string>(pageSize);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            if (ids.Count == 0 || !await page(ids))
            {
                return;
            }

            after = ids[^1];
        }
    }

    /// <summary>
    /// The store's rows written at or after <paramref name="since"/> (0: all of them), with the store's number of rows
    /// and the horizon to pass next time, all from one snapshot of the table: reading from the horizon on misses no
    /// write committed after this read. SQLite numbers the writes in commit order (the horizon is one past the highest
    /// read); PostgreSQL stamps each row with its transaction, and the horizon is the oldest transaction still running.
    /// </summary>
    public async Task<PurchaseChanges> ChangedSinceAsync(string store, long since, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var postgres = database.Kind == DatabaseKind.PostgreSql;
        await using var transaction = postgres
            ? await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
            : ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "since", since);
        long horizon = since;
        if (postgres)
        {
            command.CommandText = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";
            horizon = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        command.CommandText = "SELECT customer_id, days, changed, order_list FROM cg_purchases WHERE store = @store AND changed >= @since";
        var rows = new List<(string CustomerId, byte[] Days, byte[]? OrderList)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), (byte[])reader.GetValue(1), Blob(reader, 3)));
                if (!postgres)
                {
                    horizon = Math.Max(horizon, reader.GetInt64(2) + 1);
                }
            }
        }

        command.CommandText = "SELECT count(*) FROM cg_purchases WHERE store = @store";
        var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        await transaction.CommitAsync(cancellationToken);
        return new PurchaseChanges(rows, count, horizon);
    }

    /// <summary>One customer's row (for the reconcile's check); null when it has none.</summary>
    public async Task<PurchaseRow?> ReadAsync(string store, string customerId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT orders, revenue, days, order_list FROM cg_purchases WHERE store = @store AND customer_id = @customer";
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "customer", customerId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new PurchaseRow((byte[])reader.GetValue(2), reader.GetInt32(0), reader.GetDouble(1), Blob(reader, 3)) : null;
    }

    /// <summary>
    /// The store's customers by orders or revenue (<paramref name="byRevenue"/>), ties by customer id ascending, after
    /// the cursor (<paramref name="after"/>: the last value and id of the previous page), at most <paramref name="limit"/>,
    /// optionally only those in <paramref name="only"/>.
    /// </summary>
    public async Task<List<(string CustomerId, double Value)>> TopAsync(
        string store, bool byRevenue, bool descending, (double Value, string Id)? after, int limit, IReadOnlySet<string>? only)
    {
        var column = byRevenue ? "revenue" : "orders";
        var beyond = descending ? "<" : ">";
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT customer_id, {column} FROM cg_purchases
             WHERE store = @store {(after is null ? "" : $"AND ({column} {beyond} @value OR ({column} = @value AND customer_id > @id))")}
             ORDER BY {column} {(descending ? "DESC" : "ASC")}, customer_id
            """ + (only is null ? " LIMIT @limit" : "");
        StoreDatabase.Parameter(command, "store", store);
        StoreDatabase.Parameter(command, "limit", limit);
        if (after is { } cursor)
        {
            StoreDatabase.Parameter(command, "value", cursor.Value);
            StoreDatabase.Parameter(command, "id", cursor.Id);
        }

        var rows = new List<(string, double)>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync();
        while (rows.Count < limit && await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            if (only is null || only.Contains(id))
            {
                rows.Add((id, Convert.ToDouble(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return rows;
    }

    /// <summary>The order list of a row: null on one written before schema migration 9.</summary>
    private static byte[]? Blob(System.Data.Common.DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : (byte[])reader.GetValue(column);
}

/// <summary>
/// Rows of a store's purchase index written since a horizon (each with its days and order list as stored), the store's
/// row count and the next horizon (one snapshot).
/// </summary>
public sealed record PurchaseChanges(IReadOnlyList<(string CustomerId, byte[] Days, byte[]? OrderList)> Rows, long Count, long Horizon);
