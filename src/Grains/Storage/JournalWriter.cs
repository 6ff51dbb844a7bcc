using CustomerGrains.Grains.Infrastructure;
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
        await using var connection = await _database.OpenAsync();
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
    /// A database over the network: every statement of the batch goes in one round trip. Erasures run
    /// first (so a tombstone follows them), then the appends whose sequence numbers are read back in
    /// order, then everything that returns nothing.
    /// </summary>
    private async Task<long[]> CommitAsBatchAsync(DbConnection connection, DbTransaction transaction, List<JournalWrite> batch, long now)
    {
        var sequences = new long[batch.Count];
        await using var dbBatch = connection.CreateBatch();
        dbBatch.Transaction = transaction;
        var appends = new List<int>();
        _fence?.AddTo(dbBatch);
        foreach (var write in batch.Where(w => w.Entry is { Erased: true }))
        {
            foreach (var table in new[] { "cg_journal", "cg_members", "cg_customers", "cg_deadlines" })
            {
                Add(dbBatch, $"DELETE FROM {table} WHERE store = @store AND customer_id = @customer", ("store", write.Store), ("customer", write.CustomerId));
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Entry is { } entry)
            {
                Add(dbBatch, Sql.Append, ("store", batch[i].Store), ("customer", batch[i].CustomerId), ("at", now), ("payload", _serializer.SerializeToArray(entry)));
                appends.Add(i);
            }
        }

        foreach (var write in batch)
        {
            foreach (var row in write.Entry?.Members ?? [])
            {
                var change = row.Change;
                if (change.IsMember)
                {
                    Add(dbBatch, Sql.UpsertMember, ("store", write.Store), ("segment", row.SegmentId), ("customer", write.CustomerId),
                        ("uid", change.SegmentUid.ToString("N")), ("shard", row.Shard), ("entered", change.EnteredAt.UtcTicks), ("cause", change.Cause));
                }
                else
                {
                    Add(dbBatch, Sql.DeleteMember, ("store", write.Store), ("segment", row.SegmentId), ("customer", write.CustomerId), ("uid", change.SegmentUid.ToString("N")));
                }
            }

            if (write.Register)
            {
                Add(dbBatch, Sql.Register, ("store", write.Store), ("customer", write.CustomerId));
            }

            if (write.TrimThrough is { } through)
            {
                Add(dbBatch, Sql.Trim, ("store", write.Store), ("customer", write.CustomerId), ("through", through), ("before", write.TrimBeforeUnixMs));
            }

            if (write.Deadline is { Due: { } due } set)
            {
                Add(dbBatch, Sql.SetDeadline, ("store", write.Store), ("customer", write.CustomerId), ("shard", set.Shard), ("due", due.UtcTicks));
            }
            else if (write.Deadline is not null)
            {
                Add(dbBatch, Sql.ClearDeadline, ("store", write.Store), ("customer", write.CustomerId));
            }
        }

        await using var reader = await dbBatch.ExecuteReaderAsync();
        if (_fence is not null)
        {
            await _fence.VerifyAsync(reader);
        }

        foreach (var index in appends)
        {
            // Statements that return no rows produce no result set; the appends' come first, in order.
            while (reader.FieldCount == 0 && await reader.NextResultAsync())
            {
            }

            if (!await reader.ReadAsync())
            {
                throw new InvalidOperationException("a journal append returned no sequence number");
            }

            sequences[index] = reader.GetInt64(0);
            await reader.NextResultAsync();
        }

        return sequences;
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
            ON CONFLICT (store, segment_uid, customer_id) DO UPDATE
               SET segment = excluded.segment, shard = excluded.shard,
                   entered_at = excluded.entered_at, cause = excluded.cause
            """;

        // Rows are per version: a leave of one version never touches another's member.
        public const string DeleteMember =
            "DELETE FROM cg_members WHERE store = @store AND segment = @segment AND customer_id = @customer AND segment_uid = @uid";

        public const string Register =
            "INSERT INTO cg_customers (store, customer_id) VALUES (@store, @customer) ON CONFLICT DO NOTHING";

        public const string SetDeadline = """
            INSERT INTO cg_deadlines (store, customer_id, shard, due_at) VALUES (@store, @customer, @shard, @due)
            ON CONFLICT (store, customer_id) DO UPDATE SET shard = excluded.shard, due_at = excluded.due_at
            """;

        public const string ClearDeadline = "DELETE FROM cg_deadlines WHERE store = @store AND customer_id = @customer";

        public const string Trim =
            "DELETE FROM cg_journal WHERE store = @store AND customer_id = @customer AND seq <= @through AND recorded_at <= @before";
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
                _deleteMember ??= Create(Sql.DeleteMember, "store", "segment", "customer", "uid");
                Bind(_deleteMember, store, row.SegmentId, customerId, change.SegmentUid.ToString("N"));
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
