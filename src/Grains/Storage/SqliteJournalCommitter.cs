using Microsoft.Data.Sqlite;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// In-process SQLite: statements are cheap calls, so the batch runs write by write, in order, on one prepared
/// command per statement (see <see cref="SqliteJournalCommands"/>); running them in order is what makes the
/// last decision per row the one stored. One writer at a time: the batch holds the database's write gate.
/// </summary>
public sealed class SqliteJournalCommitter(StoreDatabase database) : IJournalCommitter
{
    public async Task<long[]> CommitAsync(IReadOnlyList<JournalWrite> batch, long nowUnixMs)
    {
        using var gate = await database.EnterWriteAsync();
        await using var connection = await database.OpenForBatchesAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var sequences = new long[batch.Count];
        var commands = new SqliteJournalCommands((SqliteConnection)connection, (SqliteTransaction)transaction);
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i];
            if (write.Entry is { } entry)
            {
                if (entry.Erased)
                {
                    commands.Erase(write.Store, write.CustomerId);
                }

                sequences[i] = commands.Append(write.Store, write.CustomerId, nowUnixMs, entry.Payload, entry.Changes);
                foreach (var row in entry.Members)
                {
                    commands.Member(write.Store, write.CustomerId, row);
                }
            }

            if (write.Register)
            {
                commands.Register(write.Store, write.CustomerId);
            }

            if (write.Unregister)
            {
                commands.Unregister(write.Store, write.CustomerId);
            }

            if (write.TrimThrough is { } through)
            {
                commands.Trim(write.Store, write.CustomerId, through, write.TrimBeforeUnixMs, write.TrimChangesBeforeUnixMs);
            }

            if (write.Deadline is { } deadline)
            {
                commands.Deadline(write.Store, write.CustomerId, deadline);
            }

            if (write.Purchases is { } purchases)
            {
                commands.Purchases(write.Store, write.CustomerId, purchases);
            }

            if (!write.Keys.IsDefaultOrEmpty)
            {
                commands.Keys(write.Store, write.CustomerId, write.Keys);
            }
        }

        foreach (var (store, claims) in EventClaims.Of(batch))
        {
            commands.Claims(store, nowUnixMs, claims);
        }

        await transaction.CommitAsync();
        return sequences;
    }
}
