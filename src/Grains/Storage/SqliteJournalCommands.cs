using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// The SQLite journal statements of one transaction: one command per statement, prepared once and re-bound for each row.
/// Synchronous: SQLite runs in this process, so an async call is the same work plus a task per row; and the journal's
/// sequence number is the row's id read from the connection, not a RETURNING clause's result set (a data reader per row).
/// </summary>
internal sealed class SqliteJournalCommands(SqliteConnection connection, SqliteTransaction transaction)
{
    private const string AppendSql =
        "INSERT INTO cg_journal (store, customer_id, recorded_at, payload, changes) VALUES (@store, @customer, @at, @payload, @changes)";

    // A join writes a member row, a leave turns it into a tombstone (is_member false, entered_at the time it left):
    // either way the row keeps the decision's number for a shard that reloads. Rows are per version: a change of
    // one version never touches another's row.
    private const string UpsertMember = """
        INSERT INTO cg_members (store, segment, customer_id, segment_uid, shard, entered_at, cause, decision, is_member)
        VALUES (@store, @segment, @customer, @uid, @shard, @entered, @cause, @decision, @member)
        ON CONFLICT (store, segment_uid, shard, customer_id) DO UPDATE
           SET segment = excluded.segment, entered_at = excluded.entered_at, cause = excluded.cause,
               decision = excluded.decision, is_member = excluded.is_member
        """;

    private const string RegisterSql =
        "INSERT INTO cg_customers (store, customer_id) VALUES (@store, @customer) ON CONFLICT DO NOTHING";

    private const string UnregisterSql = "DELETE FROM cg_customers WHERE store = @store AND customer_id = @customer";

    private const string SetDeadline = """
        INSERT INTO cg_deadlines (store, customer_id, shard, due_at) VALUES (@store, @customer, @shard, @due)
        ON CONFLICT (store, customer_id) DO UPDATE SET shard = excluded.shard, due_at = excluded.due_at
        """;

    // changed: one more than the store's highest (an index seek); the writes are serial, so it grows in commit order.
    private const string SetPurchases = """
        INSERT INTO cg_purchases (store, customer_id, days, orders, revenue, order_list, changed)
        VALUES (@store, @customer, @days, @orders, @revenue, @order_list, (SELECT coalesce(max(changed), 0) + 1 FROM cg_purchases WHERE store = @store))
        ON CONFLICT (store, customer_id) DO UPDATE
           SET days = excluded.days, orders = excluded.orders, revenue = excluded.revenue, order_list = excluded.order_list, changed = excluded.changed
        """;

    private const string InsertClaims = "INSERT INTO cg_event_ids (store, recorded_at, claims) VALUES (@store, @at, @claims)";

    private const string ClearPurchases = "DELETE FROM cg_purchases WHERE store = @store AND customer_id = @customer";

    private static readonly bool[] ReleasesThenClaims = [false, true];

    // The first holder keeps a key: a claim on one another customer holds changes nothing.
    private const string ClaimKey =
        "INSERT INTO cg_identity_keys (store, field, key, customer_id) VALUES (@store, @field, @key, @customer) ON CONFLICT DO NOTHING";

    private const string ReleaseKey =
        "DELETE FROM cg_identity_keys WHERE store = @store AND field = @field AND key = @key AND customer_id = @customer";

    private const string ClearDeadline = "DELETE FROM cg_deadlines WHERE store = @store AND customer_id = @customer";

    // An entry that changed memberships stays for the change feed's retention (changesBefore), the others for the journal's.
    private const string TrimSql = """
        DELETE FROM cg_journal
         WHERE store = @store AND customer_id = @customer AND seq <= @through AND recorded_at <= @before
           AND (changes = 0 OR recorded_at <= @changesBefore)
        """;

    private static readonly string[] EraseSql =
        [.. CustomerTables.ErasedOnErasure.Select(table => $"DELETE FROM {table} WHERE store = @store AND customer_id = @customer")];

    // Bound once per member row: pre-boxed, so the flag costs no allocation per row.
    private static readonly object IsMemberValue = true;
    private static readonly object IsTombstoneValue = false;

    private DbCommand? _append;
    private DbCommand? _upsertMember;
    private DbCommand? _register;
    private DbCommand? _unregister;
    private DbCommand? _setDeadline;
    private DbCommand? _clearDeadline;
    private DbCommand? _setPurchases;
    private DbCommand? _clearPurchases;
    private DbCommand? _claimKey;
    private DbCommand? _releaseKey;
    private DbCommand? _trim;

    public long Append(string store, string customerId, long at, byte[] payload, int changes)
    {
        _append ??= Create(AppendSql, "store", "customer", "at", "payload", "changes");
        Bind(_append, store, customerId, at, payload, changes);
        _append.ExecuteNonQuery();

        // seq is the table's INTEGER PRIMARY KEY, so the row id the insert was given (AUTOINCREMENT: never one used before).
        return raw.sqlite3_last_insert_rowid(connection.Handle);
    }

    public void Member(string store, string customerId, StoredMember row)
    {
        _upsertMember ??= Create(UpsertMember, "store", "segment", "customer", "uid", "shard", "entered", "cause", "decision", "member");
        Bind(_upsertMember, store, row.SegmentId, customerId, row.SegmentUid.ToString("N"), row.Shard, row.At.UtcTicks, row.Cause,
            row.Decision, row.IsMember ? IsMemberValue : IsTombstoneValue);
        _upsertMember.ExecuteNonQuery();
    }

    public void Register(string store, string customerId)
    {
        _register ??= Create(RegisterSql, "store", "customer");
        Bind(_register, store, customerId);
        _register.ExecuteNonQuery();
    }

    public void Unregister(string store, string customerId)
    {
        _unregister ??= Create(UnregisterSql, "store", "customer");
        Bind(_unregister, store, customerId);
        _unregister.ExecuteNonQuery();
    }

    public void Deadline(string store, string customerId, DeadlineChange deadline)
    {
        if (deadline.Due is { } due)
        {
            _setDeadline ??= Create(SetDeadline, "store", "customer", "shard", "due");
            Bind(_setDeadline, store, customerId, deadline.Shard, due.UtcTicks);
            _setDeadline.ExecuteNonQuery();
        }
        else
        {
            _clearDeadline ??= Create(ClearDeadline, "store", "customer");
            Bind(_clearDeadline, store, customerId);
            _clearDeadline.ExecuteNonQuery();
        }
    }

    /// <summary>The customer's changed claims on matching-trait keys: releases first, then claims.</summary>
    public void Keys(string store, string customerId, System.Collections.Immutable.ImmutableArray<IdentityKeyRow> keys)
    {
        foreach (var held in ReleasesThenClaims)
        {
            foreach (var key in keys)
            {
                if (key.Held == held)
                {
                    var command = held ? _claimKey ??= Create(ClaimKey, "store", "field", "key", "customer") : _releaseKey ??= Create(ReleaseKey, "store", "field", "key", "customer");
                    Bind(command, store, key.Field, key.Key, customerId);
                    command.ExecuteNonQuery();
                }
            }
        }
    }

    public void Purchases(string store, string customerId, PurchaseRow row)
    {
        if (!row.IsEmpty)
        {
            _setPurchases ??= Create(SetPurchases, "store", "customer", "days", "orders", "revenue", "order_list");
            Bind(_setPurchases, store, customerId, row.Days, row.Orders, row.Revenue, row.OrderList ?? (object)DBNull.Value);
            _setPurchases.ExecuteNonQuery();
        }
        else
        {
            _clearPurchases ??= Create(ClearPurchases, "store", "customer");
            Bind(_clearPurchases, store, customerId);
            _clearPurchases.ExecuteNonQuery();
        }
    }

    public void Claims(string store, long at, byte[] claims)
    {
        using var command = Create(InsertClaims, "store", "at", "claims");
        Bind(command, store, at, claims);
        command.ExecuteNonQuery();
    }

    public void Erase(string store, string customerId)
    {
        foreach (var sql in EraseSql)
        {
            using var command = Create(sql, "store", "customer");
            Bind(command, store, customerId);
            command.ExecuteNonQuery();
        }
    }

    public void Trim(string store, string customerId, long through, long beforeUnixMs, long changesBeforeUnixMs)
    {
        _trim ??= Create(TrimSql, "store", "customer", "through", "before", "changesBefore");
        Bind(_trim, store, customerId, through, beforeUnixMs, changesBeforeUnixMs);
        _trim.ExecuteNonQuery();
    }

    private DbCommand Create(string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            StoreDatabase.Parameter(command, name, null);
        }

        return command;
    }

    private static void Bind(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }
}
