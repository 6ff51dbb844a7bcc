using System.Data.Common;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// A database over the network: the whole batch is one round trip of a few statements, each carrying every row
/// of its kind as arrays, whatever the number of customers. Erasures run first (so a tombstone follows them),
/// then the appends, whose sequence numbers come back in insertion order; the rows stored are the batch's
/// reduction (<see cref="JournalBatch"/>), as if its writes had run one by one.
/// </summary>
// fence: cluster silos only (see MembershipFence); embedded and test silos have none.
public sealed class PostgresJournalCommitter(StoreDatabase database, MembershipFence? fence = null) : IJournalCommitter
{
    private const string AppendMany = """
        INSERT INTO cg_journal (store, customer_id, recorded_at, payload, changes, txid)
        SELECT a.store, a.customer_id, @at, a.payload, a.changes, pg_current_xact_id()::text::bigint
          FROM unnest(@stores, @customers, @payloads, @changes) WITH ORDINALITY AS a(store, customer_id, payload, changes, n)
         ORDER BY a.n
        RETURNING seq
        """;

    // Joins and leaves alike, by the key alone: a leave turns the row into a tombstone (is_member false, entered_at
    // the time it left) that keeps the decision's number for a shard that reloads. (Leaves used to be a DELETE that
    // also named the segment id, and the planner, short of statistics on a young table, took the (store, segment)
    // index for it and read every member of the segment per leave; the conflict on the key leaves it no choice.)
    private const string UpsertMembers = """
        INSERT INTO cg_members (store, segment, customer_id, segment_uid, shard, entered_at, cause, decision, is_member)
        SELECT * FROM unnest(@stores, @segments, @customers, @uids, @shards, @entered, @causes, @decisions, @members)
        ON CONFLICT (store, segment_uid, shard, customer_id) DO UPDATE
           SET segment = excluded.segment, entered_at = excluded.entered_at, cause = excluded.cause,
               decision = excluded.decision, is_member = excluded.is_member
        """;

    private const string RegisterMany =
        "INSERT INTO cg_customers (store, customer_id) SELECT * FROM unnest(@stores, @customers) ON CONFLICT DO NOTHING";

    private const string UnregisterMany = """
        DELETE FROM cg_customers c USING unnest(@stores, @customers) AS u(store, customer_id)
         WHERE c.store = u.store AND c.customer_id = u.customer_id
        """;

    private const string SetDeadlines = """
        INSERT INTO cg_deadlines (store, customer_id, shard, due_at)
        SELECT * FROM unnest(@stores, @customers, @shards, @due)
        ON CONFLICT (store, customer_id) DO UPDATE SET shard = excluded.shard, due_at = excluded.due_at
        """;

    private const string ClearDeadlines = """
        DELETE FROM cg_deadlines d USING unnest(@stores, @customers) AS c(store, customer_id)
         WHERE d.store = c.store AND d.customer_id = c.customer_id
        """;

    private const string SetPurchases = """
        INSERT INTO cg_purchases (store, customer_id, days, orders, revenue, order_list, changed)
        SELECT *, pg_current_xact_id()::text::bigint FROM unnest(@stores, @customers, @days, @orders, @revenue, @order_lists)
        ON CONFLICT (store, customer_id) DO UPDATE
           SET days = excluded.days, orders = excluded.orders, revenue = excluded.revenue, order_list = excluded.order_list, changed = excluded.changed
        """;

    private const string ClearPurchases = """
        DELETE FROM cg_purchases p USING unnest(@stores, @customers) AS c(store, customer_id)
         WHERE p.store = c.store AND p.customer_id = c.customer_id
        """;

    private const string InsertClaims =
        "INSERT INTO cg_event_ids (store, recorded_at, claims) SELECT c.store, @at, c.claims FROM unnest(@stores, @claims) AS c(store, claims)";

    private static readonly bool[] ReleasesThenClaims = [false, true];

    // The first holder keeps a key: a claim on one another customer holds changes nothing.
    private const string ClaimKeys = """
        INSERT INTO cg_identity_keys (store, field, key, customer_id)
        SELECT k.store, k.field, k.key, k.customer_id FROM unnest(@stores, @fields, @keys, @customers) AS k(store, field, key, customer_id)
        ON CONFLICT DO NOTHING
        """;

    private const string ReleaseKeys = """
        DELETE FROM cg_identity_keys i USING unnest(@stores, @fields, @keys, @customers) AS k(store, field, key, customer_id)
         WHERE i.store = k.store AND i.field = k.field AND i.key = k.key AND i.customer_id = k.customer_id
        """;

    private const string TrimMany = """
        DELETE FROM cg_journal j
         USING unnest(@stores, @customers, @through, @before, @changesBefore) AS t(store, customer_id, through, before, changes_before)
         WHERE j.store = t.store AND j.customer_id = t.customer_id AND j.seq <= t.through AND j.recorded_at <= t.before
           AND (j.changes = 0 OR j.recorded_at <= t.changes_before)
        """;

    private static readonly string[] EraseMany = [.. CustomerTables.ErasedOnErasure.Select(table => $"""
        DELETE FROM {table} t USING unnest(@stores, @customers) AS e(store, customer_id)
         WHERE t.store = e.store AND t.customer_id = e.customer_id
        """)];

    public async Task<long[]> CommitAsync(IReadOnlyList<JournalWrite> batch, long nowUnixMs)
    {
        await using var connection = await database.OpenForBatchesAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var rows = new JournalBatch(batch);
        await using var dbBatch = connection.CreateBatch();
        dbBatch.Transaction = transaction;
        fence?.AddBoundTo(dbBatch);
        if (rows.Erased.Count > 0)
        {
            foreach (var sql in EraseMany)
            {
                Add(dbBatch, sql, ("stores", Texts(rows.Erased, r => r.Store)), ("customers", Texts(rows.Erased, r => r.Customer)));
            }
        }

        if (rows.Appends.Count > 0)
        {
            Add(dbBatch, AppendMany,
                ("stores", Texts(rows.Appends, i => batch[i].Store)), ("customers", Texts(rows.Appends, i => batch[i].CustomerId)), ("at", nowUnixMs),
                ("payloads", rows.Appends.Select(i => batch[i].Entry!.Payload).ToArray()),
                ("changes", rows.Appends.Select(i => batch[i].Entry!.Changes).ToArray()));
        }

        if (rows.Members.Count > 0)
        {
            var members = rows.Members.Values.ToList();
            Add(dbBatch, UpsertMembers,
                ("stores", Texts(members, m => m.Store)), ("segments", Texts(members, m => m.Row.SegmentId)), ("customers", Texts(members, m => m.Customer)),
                ("uids", Texts(members, m => m.Row.SegmentUid.ToString("N"))), ("shards", members.Select(m => m.Row.Shard).ToArray()),
                ("entered", members.Select(m => m.Row.At.UtcTicks).ToArray()), ("causes", Texts(members, m => m.Row.Cause)),
                ("decisions", members.Select(m => m.Row.Decision).ToArray()), ("members", members.Select(m => m.Row.IsMember).ToArray()));
        }

        if (rows.Registers.Count > 0)
        {
            Add(dbBatch, RegisterMany, ("stores", Texts(rows.Registers, r => r.Store)), ("customers", Texts(rows.Registers, r => r.Customer)));
        }

        if (rows.Unregisters.Count > 0)
        {
            Add(dbBatch, UnregisterMany, ("stores", Texts(rows.Unregisters, r => r.Store)), ("customers", Texts(rows.Unregisters, r => r.Customer)));
        }

        if (rows.Trims.Count > 0)
        {
            Add(dbBatch, TrimMany,
                ("stores", Texts(rows.Trims, w => w.Store)), ("customers", Texts(rows.Trims, w => w.CustomerId)),
                ("through", rows.Trims.Select(w => w.TrimThrough!.Value).ToArray()), ("before", rows.Trims.Select(w => w.TrimBeforeUnixMs).ToArray()),
                ("changesBefore", rows.Trims.Select(w => w.TrimChangesBeforeUnixMs).ToArray()));
        }

        var sets = rows.Deadlines.Where(d => d.Value.Due is not null).ToList();
        if (sets.Count > 0)
        {
            Add(dbBatch, SetDeadlines,
                ("stores", Texts(sets, d => d.Key.Store)), ("customers", Texts(sets, d => d.Key.Customer)),
                ("shards", sets.Select(d => d.Value.Shard).ToArray()), ("due", sets.Select(d => d.Value.Due!.Value.UtcTicks).ToArray()));
        }

        var clears = rows.Deadlines.Where(d => d.Value.Due is null).ToList();
        if (clears.Count > 0)
        {
            Add(dbBatch, ClearDeadlines, ("stores", Texts(clears, d => d.Key.Store)), ("customers", Texts(clears, d => d.Key.Customer)));
        }

        var purchases = rows.Purchases.Where(p => !p.Value.IsEmpty).ToList();
        if (purchases.Count > 0)
        {
            Add(dbBatch, SetPurchases,
                ("stores", Texts(purchases, p => p.Key.Store)), ("customers", Texts(purchases, p => p.Key.Customer)),
                ("days", purchases.Select(p => p.Value.Days).ToArray()), ("orders", purchases.Select(p => p.Value.Orders).ToArray()),
                ("revenue", purchases.Select(p => p.Value.Revenue).ToArray()), ("order_lists", purchases.Select(p => p.Value.OrderList).ToArray()));
        }

        var noPurchases = rows.Purchases.Where(p => p.Value.IsEmpty).ToList();
        if (noPurchases.Count > 0)
        {
            Add(dbBatch, ClearPurchases, ("stores", Texts(noPurchases, p => p.Key.Store)), ("customers", Texts(noPurchases, p => p.Key.Customer)));
        }

        foreach (var held in ReleasesThenClaims)
        {
            var keys = batch.Where(w => !w.Keys.IsDefaultOrEmpty).SelectMany(w => w.Keys.Where(k => k.Held == held).Select(k => (w.Store, w.CustomerId, k))).ToList();
            if (keys.Count > 0)
            {
                Add(dbBatch, held ? ClaimKeys : ReleaseKeys,
                    ("stores", Texts(keys, k => k.Store)), ("fields", Texts(keys, k => k.k.Field)), ("keys", Texts(keys, k => k.k.Key)),
                    ("customers", Texts(keys, k => k.CustomerId)));
            }
        }

        var claims = EventClaims.Of(batch);
        if (claims.Count > 0)
        {
            Add(dbBatch, InsertClaims, ("stores", claims.Keys.ToArray()), ("at", nowUnixMs), ("claims", claims.Values.ToArray()));
        }

        fence?.AddCheckTo(dbBatch);
        var sequences = await ExecuteAsync(dbBatch, batch.Count, rows.Appends);
        await transaction.CommitAsync();
        return sequences;
    }

    /// <summary>Runs the batch; reads the appends' sequence numbers and the fence's verdict.</summary>
    private async Task<long[]> ExecuteAsync(DbBatch dbBatch, int writes, List<int> appends)
    {
        var sequences = new long[writes];
        await using var reader = await dbBatch.ExecuteReaderAsync();
        if (appends.Count > 0)
        {
            // Statements that return no rows produce no result set; the appends' is the first that does.
            await NextRowsAsync(reader);

            // Identity values are drawn as the rows are inserted, in the order of the SELECT: ascending
            // sequence numbers belong to the appends in batch order.
            var drawn = new List<long>(appends.Count);
            while (await reader.ReadAsync())
            {
                drawn.Add(reader.GetInt64(0));
            }

            if (drawn.Count != appends.Count)
            {
                throw new InvalidOperationException($"{appends.Count} journal appends returned {drawn.Count} sequence numbers");
            }

            drawn.Sort();
            for (var i = 0; i < drawn.Count; i++)
            {
                sequences[appends[i]] = drawn[i];
            }

            await reader.NextResultAsync();
        }

        if (fence is not null)
        {
            await NextRowsAsync(reader);
            await fence.VerifyAsync(reader);
        }

        return sequences;
    }

    /// <summary>Moves to the next result set of a query (statements that return no rows produce none).</summary>
    private static async Task NextRowsAsync(DbDataReader reader)
    {
        while (reader.FieldCount == 0 && await reader.NextResultAsync())
        {
        }
    }

    private static string[] Texts<T>(List<T> rows, Func<T, string> text)
    {
        var texts = new string[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            texts[i] = text(rows[i]);
        }

        return texts;
    }

    private static void Add(DbBatch batch, string sql, params (string Name, object Value)[] parameters)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(command);
    }
}
