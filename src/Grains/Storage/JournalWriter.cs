using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Group commit for the whole silo: writes from every customer that arrive while a transaction is being
/// committed go into the next one, so the database sees one commit per batch instead of one per event
/// or per customer. A caller's task completes only after the transaction holding its write committed.
/// </summary>
public sealed class JournalWriter : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly StoreDatabase _database;
    private readonly Serializer _serializer;
    private readonly TimeProvider _time;
    private readonly ILogger<JournalWriter> _logger;
    private readonly MembershipFence? _fence;
    private readonly Channel<JournalWrite> _queue = Channel.CreateUnbounded<JournalWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private int _waiting;

    // fence: cluster silos only (see MembershipFence); embedded and test silos have none.
    public JournalWriter(StoreDatabase database, Serializer serializer, [FromKeyedServices(EngineClock.Key)] TimeProvider time, ILogger<JournalWriter> logger, MembershipFence? fence = null)
    {
        _fence = fence;
        _database = database;
        _serializer = serializer;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public Task<long> WriteAsync(JournalWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            // The silo is shutting down (perhaps because it learnt it was declared dead): nothing of this write
            // was recorded, and the grain lives on elsewhere, so callers may retry, as for any silo that went away.
            throw new SiloUnavailableException("this silo is stopping; its journal takes no more writes");
        }

        Interlocked.Increment(ref _waiting);
        return write.Done.Task;
    }

    /// <summary>Writes accepted and not yet committed or failed (queued, or in the batch being committed).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<JournalWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                // A predecessor in an earlier batch has settled by now (batches commit in order); one that
                // failed takes this write down with it. A predecessor in this batch shares its fate anyway.
                if (write.After is { IsCompleted: true, IsCompletedSuccessfully: false } failed)
                {
                    Interlocked.Decrement(ref _waiting);
                    write.Done.TrySetException(failed.Exception?.InnerException ?? new TaskCanceledException(failed));
                    continue;
                }

                batch.Add(write);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var sequences = await CommitAsync(batch);
                Interlocked.Add(ref _waiting, -batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(sequences[i]);
                }
            }
            catch (Exception error)
            {
                _logger.LogError(error, "A journal batch of {Count} writes failed; their callers were told", batch.Count);
                Interlocked.Add(ref _waiting, -batch.Count);
                foreach (var write in batch)
                {
                    write.Done.TrySetException(error);
                }
            }
        }
    }

    private async Task<long[]> CommitAsync(List<JournalWrite> batch)
    {
        using var gate = await _database.EnterWriteAsync();
        await using var connection = await _database.OpenForBatchesAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var sequences = connection.CanCreateBatch
            ? await CommitAsBatchAsync(connection, transaction, batch, now)
            : await CommitOneByOneAsync(connection, transaction, batch, now);
        await transaction.CommitAsync();
        return sequences;
    }

    /// <summary>In-process SQLite: statements are cheap calls, re-bound on one prepared command each.</summary>
    private async Task<long[]> CommitOneByOneAsync(DbConnection connection, DbTransaction transaction, List<JournalWrite> batch, long now)
    {
        var sequences = new long[batch.Count];
        var commands = new Commands(connection, transaction);
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i];
            if (write.Entry is { } entry)
            {
                if (entry.Erased)
                {
                    await commands.EraseAsync(write.Store, write.CustomerId);
                }

                sequences[i] = await commands.AppendAsync(write.Store, write.CustomerId, now, _serializer.SerializeToArray(entry));
                foreach (var row in entry.Members)
                {
                    await commands.MemberAsync(write.Store, write.CustomerId, row);
                }
            }

            if (write.Register)
            {
                await commands.RegisterAsync(write.Store, write.CustomerId);
            }

            if (write.TrimThrough is { } through)
            {
                await commands.TrimAsync(write.Store, write.CustomerId, through, write.TrimBeforeUnixMs);
            }

            if (write.Deadline is { } deadline)
            {
                await commands.DeadlineAsync(write.Store, write.CustomerId, deadline);
            }
        }

        return sequences;
    }

    /// <summary>
    /// A database over the network: the whole batch is one round trip of a few statements, each carrying
    /// every row of its kind as arrays, whatever the number of customers. Erasures run first (so a
    /// tombstone follows them), then the appends, whose sequence numbers come back in insertion order; of
    /// several writes of one customer in the batch (pipelined requests) the last decision per member row and
    /// per deadline is the one stored, as if they had run one by one.
    /// </summary>
    private async Task<long[]> CommitAsBatchAsync(DbConnection connection, DbTransaction transaction, List<JournalWrite> batch, long now)
    {
        var rows = new BatchRows(batch);
        await using var dbBatch = connection.CreateBatch();
        dbBatch.Transaction = transaction;
        _fence?.AddBoundTo(dbBatch);
        if (rows.Erased.Count > 0)
        {
            foreach (var table in new[] { "cg_journal", "cg_members", "cg_customers", "cg_deadlines" })
            {
                Add(dbBatch, $"""
                    DELETE FROM {table} t USING unnest(@stores, @customers) AS e(store, customer_id)
                     WHERE t.store = e.store AND t.customer_id = e.customer_id
                    """,
                    ("stores", Texts(rows.Erased, r => r.Store)), ("customers", Texts(rows.Erased, r => r.Customer)));
            }
        }

        if (rows.Appends.Count > 0)
        {
            Add(dbBatch, Sql.AppendMany,
                ("stores", Texts(rows.Appends, i => batch[i].Store)), ("customers", Texts(rows.Appends, i => batch[i].CustomerId)), ("at", now),
                ("payloads", rows.Appends.Select(i => _serializer.SerializeToArray(batch[i].Entry!)).ToArray()));
        }

        var joins = rows.Members.Values.Where(m => m.Change.IsMember).ToList();
        if (joins.Count > 0)
        {
            Add(dbBatch, Sql.UpsertMembers,
                ("stores", Texts(joins, m => m.Store)), ("segments", Texts(joins, m => m.Row.SegmentId)), ("customers", Texts(joins, m => m.Customer)),
                ("uids", Texts(joins, m => m.Uid)), ("shards", joins.Select(m => m.Row.Shard).ToArray()),
                ("entered", joins.Select(m => m.Change.EnteredAt.UtcTicks).ToArray()), ("causes", Texts(joins, m => m.Change.Cause)));
        }

        var leaves = rows.Members.Values.Where(m => !m.Change.IsMember).ToList();
        if (leaves.Count > 0)
        {
            Add(dbBatch, Sql.DeleteMembers,
                ("stores", Texts(leaves, m => m.Store)), ("customers", Texts(leaves, m => m.Customer)),
                ("uids", Texts(leaves, m => m.Uid)), ("shards", leaves.Select(m => m.Row.Shard).ToArray()));
        }

        if (rows.Registers.Count > 0)
        {
            Add(dbBatch, Sql.RegisterMany, ("stores", Texts(rows.Registers, r => r.Store)), ("customers", Texts(rows.Registers, r => r.Customer)));
        }

        if (rows.Trims.Count > 0)
        {
            Add(dbBatch, Sql.TrimMany,
                ("stores", Texts(rows.Trims, w => w.Store)), ("customers", Texts(rows.Trims, w => w.CustomerId)),
                ("through", rows.Trims.Select(w => w.TrimThrough!.Value).ToArray()), ("before", rows.Trims.Select(w => w.TrimBeforeUnixMs).ToArray()));
        }

        var sets = rows.Deadlines.Where(d => d.Value.Due is not null).ToList();
        if (sets.Count > 0)
        {
            Add(dbBatch, Sql.SetDeadlines,
                ("stores", Texts(sets, d => d.Key.Store)), ("customers", Texts(sets, d => d.Key.Customer)),
                ("shards", sets.Select(d => d.Value.Shard).ToArray()), ("due", sets.Select(d => d.Value.Due!.Value.UtcTicks).ToArray()));
        }

        var clears = rows.Deadlines.Where(d => d.Value.Due is null).ToList();
        if (clears.Count > 0)
        {
            Add(dbBatch, Sql.ClearDeadlines, ("stores", Texts(clears, d => d.Key.Store)), ("customers", Texts(clears, d => d.Key.Customer)));
        }

        _fence?.AddCheckTo(dbBatch);
        var sequences = new long[batch.Count];
        await using var reader = await dbBatch.ExecuteReaderAsync();
        if (rows.Appends.Count > 0)
        {
            // Statements that return no rows produce no result set; the appends' is the first that does.
            await NextRowsAsync(reader);

            // Identity values are drawn as the rows are inserted, in the order of the SELECT: ascending
            // sequence numbers belong to the appends in batch order.
            var drawn = new List<long>(rows.Appends.Count);
            while (await reader.ReadAsync())
            {
                drawn.Add(reader.GetInt64(0));
            }

            if (drawn.Count != rows.Appends.Count)
            {
                throw new InvalidOperationException($"{rows.Appends.Count} journal appends returned {drawn.Count} sequence numbers");
            }

            drawn.Sort();
            for (var i = 0; i < drawn.Count; i++)
            {
                sequences[rows.Appends[i]] = drawn[i];
            }

            await reader.NextResultAsync();
        }

        if (_fence is not null)
        {
            await NextRowsAsync(reader);
            await _fence.VerifyAsync(reader);
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

    /// <summary>A batch's rows by kind, in batch order; member rows and deadlines reduced to each key's last decision.</summary>
    private sealed class BatchRows
    {
        public BatchRows(List<JournalWrite> batch)
        {
            var registered = new HashSet<(string, string)>();
            for (var i = 0; i < batch.Count; i++)
            {
                var write = batch[i];
                var customer = (write.Store, write.CustomerId);
                if (write.Entry is { } entry)
                {
                    if (entry.Erased)
                    {
                        // The erasure's deletes run before every other statement: what this customer decided
                        // earlier in the batch must go with it. (Erasure waits for a customer's earlier writes,
                        // so this is a safeguard.)
                        Erased.Add(customer);
                        foreach (var key in Members.Keys.Where(k => k.Store == write.Store && k.Customer == write.CustomerId).ToList())
                        {
                            Members.Remove(key);
                        }

                        Deadlines.Remove(customer);
                        Registers.Remove(customer);
                        registered.Remove(customer);
                    }

                    Appends.Add(i);
                    foreach (var row in entry.Members)
                    {
                        var uid = row.Change.SegmentUid.ToString("N");
                        Members[(write.Store, uid, write.CustomerId)] = new MemberDecision(write.Store, write.CustomerId, uid, row);
                    }
                }

                if (write.Register && registered.Add(customer))
                {
                    Registers.Add(customer);
                }

                if (write.TrimThrough is not null)
                {
                    Trims.Add(write);
                }

                if (write.Deadline is { } deadline)
                {
                    Deadlines[customer] = deadline;
                }
            }
        }

        public List<(string Store, string Customer)> Erased { get; } = [];

        /// <summary>Indexes into the batch of the writes with an entry.</summary>
        public List<int> Appends { get; } = [];

        public Dictionary<(string Store, string Uid, string Customer), MemberDecision> Members { get; } = [];

        public List<(string Store, string Customer)> Registers { get; } = [];

        public List<JournalWrite> Trims { get; } = [];

        public Dictionary<(string Store, string Customer), DeadlineChange> Deadlines { get; } = [];
    }

    private sealed record MemberDecision(string Store, string Customer, string Uid, MemberRow Row)
    {
        public MembershipChange Change => Row.Change;
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

    /// <summary>The statements, shared by both ways of committing.</summary>
    private static class Sql
    {
        public const string Append =
            "INSERT INTO cg_journal (store, customer_id, recorded_at, payload) VALUES (@store, @customer, @at, @payload) RETURNING seq";

        public const string UpsertMember = """
            INSERT INTO cg_members (store, segment, customer_id, segment_uid, shard, entered_at, cause)
            VALUES (@store, @segment, @customer, @uid, @shard, @entered, @cause)
            ON CONFLICT (store, segment_uid, shard, customer_id) DO UPDATE
               SET segment = excluded.segment, entered_at = excluded.entered_at, cause = excluded.cause
            """;

        // Rows are per version: a leave of one version never touches another's member.
        public const string DeleteMember =
            "DELETE FROM cg_members WHERE store = @store AND segment_uid = @uid AND shard = @shard AND customer_id = @customer AND segment = @segment";

        public const string Register =
            "INSERT INTO cg_customers (store, customer_id) VALUES (@store, @customer) ON CONFLICT DO NOTHING";

        public const string SetDeadline = """
            INSERT INTO cg_deadlines (store, customer_id, shard, due_at) VALUES (@store, @customer, @shard, @due)
            ON CONFLICT (store, customer_id) DO UPDATE SET shard = excluded.shard, due_at = excluded.due_at
            """;

        public const string ClearDeadline = "DELETE FROM cg_deadlines WHERE store = @store AND customer_id = @customer";

        public const string Trim =
            "DELETE FROM cg_journal WHERE store = @store AND customer_id = @customer AND seq <= @through AND recorded_at <= @before";

        // PostgreSQL, every row of a kind in one statement (arrays unnested in step).
        public const string AppendMany = """
            INSERT INTO cg_journal (store, customer_id, recorded_at, payload)
            SELECT a.store, a.customer_id, @at, a.payload
              FROM unnest(@stores, @customers, @payloads) WITH ORDINALITY AS a(store, customer_id, payload, n)
             ORDER BY a.n
            RETURNING seq
            """;

        public const string UpsertMembers = """
            INSERT INTO cg_members (store, segment, customer_id, segment_uid, shard, entered_at, cause)
            SELECT * FROM unnest(@stores, @segments, @customers, @uids, @shards, @entered, @causes)
            ON CONFLICT (store, segment_uid, shard, customer_id) DO UPDATE
               SET segment = excluded.segment, entered_at = excluded.entered_at, cause = excluded.cause
            """;

        // By the key alone (the version's uid implies its segment). With the segment id in the condition too, the
        // planner, short of statistics on a young table, took the (store, segment) index and read every member
        // of the segment for each leave: measured, 2,400 index entries and 1,700 heap rows per deleted row.
        public const string DeleteMembers = """
            DELETE FROM cg_members m USING unnest(@stores, @customers, @uids, @shards) AS d(store, customer_id, segment_uid, shard)
             WHERE m.store = d.store AND m.segment_uid = d.segment_uid AND m.shard = d.shard AND m.customer_id = d.customer_id
            """;

        public const string RegisterMany =
            "INSERT INTO cg_customers (store, customer_id) SELECT * FROM unnest(@stores, @customers) ON CONFLICT DO NOTHING";

        public const string SetDeadlines = """
            INSERT INTO cg_deadlines (store, customer_id, shard, due_at)
            SELECT * FROM unnest(@stores, @customers, @shards, @due)
            ON CONFLICT (store, customer_id) DO UPDATE SET shard = excluded.shard, due_at = excluded.due_at
            """;

        public const string ClearDeadlines = """
            DELETE FROM cg_deadlines d USING unnest(@stores, @customers) AS c(store, customer_id)
             WHERE d.store = c.store AND d.customer_id = c.customer_id
            """;

        public const string TrimMany = """
            DELETE FROM cg_journal j USING unnest(@stores, @customers, @through, @before) AS t(store, customer_id, through, before)
             WHERE j.store = t.store AND j.customer_id = t.customer_id AND j.seq <= t.through AND j.recorded_at <= t.before
            """;
    }

    /// <summary>One command per statement per batch, re-bound for each row.</summary>
    private sealed class Commands(DbConnection connection, DbTransaction transaction)
    {
        private DbCommand? _append;
        private DbCommand? _upsertMember;
        private DbCommand? _deleteMember;
        private DbCommand? _register;
        private DbCommand? _setDeadline;
        private DbCommand? _clearDeadline;

        public async Task<long> AppendAsync(string store, string customerId, long at, byte[] payload)
        {
            _append ??= Create(Sql.Append, "store", "customer", "at", "payload");
            Bind(_append, store, customerId, at, payload);
            return Convert.ToInt64(await _append.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task MemberAsync(string store, string customerId, MemberRow row)
        {
            var change = row.Change;
            if (change.IsMember)
            {
                _upsertMember ??= Create(Sql.UpsertMember, "store", "segment", "customer", "uid", "shard", "entered", "cause");
                Bind(_upsertMember, store, row.SegmentId, customerId, change.SegmentUid.ToString("N"), row.Shard, change.EnteredAt.UtcTicks, change.Cause);
                await _upsertMember.ExecuteNonQueryAsync();
            }
            else
            {
                _deleteMember ??= Create(Sql.DeleteMember, "store", "segment", "customer", "uid", "shard");
                Bind(_deleteMember, store, row.SegmentId, customerId, change.SegmentUid.ToString("N"), row.Shard);
                await _deleteMember.ExecuteNonQueryAsync();
            }
        }

        public async Task RegisterAsync(string store, string customerId)
        {
            _register ??= Create(Sql.Register, "store", "customer");
            Bind(_register, store, customerId);
            await _register.ExecuteNonQueryAsync();
        }

        public async Task DeadlineAsync(string store, string customerId, DeadlineChange deadline)
        {
            if (deadline.Due is { } due)
            {
                _setDeadline ??= Create(Sql.SetDeadline, "store", "customer", "shard", "due");
                Bind(_setDeadline, store, customerId, deadline.Shard, due.UtcTicks);
                await _setDeadline.ExecuteNonQueryAsync();
            }
            else
            {
                _clearDeadline ??= Create(Sql.ClearDeadline, "store", "customer");
                Bind(_clearDeadline, store, customerId);
                await _clearDeadline.ExecuteNonQueryAsync();
            }
        }

        public async Task EraseAsync(string store, string customerId)
        {
            foreach (var table in new[] { "cg_journal", "cg_members", "cg_customers", "cg_deadlines" })
            {
                await using var command = Create($"DELETE FROM {table} WHERE store = @store AND customer_id = @customer", "store", "customer");
                Bind(command, store, customerId);
                await command.ExecuteNonQueryAsync();
            }
        }

        public async Task TrimAsync(string store, string customerId, long through, long beforeUnixMs)
        {
            await using var command = Create(Sql.Trim, "store", "customer", "through", "before");
            Bind(command, store, customerId, through, beforeUnixMs);
            await command.ExecuteNonQueryAsync();
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
}
