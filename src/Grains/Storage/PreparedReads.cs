using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// SQLite connections kept open for the reads an activation makes (its grain state's key, its journal tail, a key's
/// holder), each with its statements prepared once. Opening a pooled connection and preparing a statement for every read
/// was most of what those reads cost in a cold morning (bench/README, issue 20): SQLite parses and plans the text each
/// time, and the reads themselves are index lookups. One connection per concurrent reader, taken and given back; a
/// connection holds no transaction between reads (its reader is disposed), so it never holds back the WAL's checkpoints.
/// </summary>
internal sealed class PreparedReads(string connectionString) : IDisposable
{
    private readonly ConcurrentBag<Lane> _idle = [];
    private bool _disposed;

    public async Task<T> RunAsync<T>(string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, Task<T>> read)
    {
        var lane = _idle.TryTake(out var idle) ? idle : new Lane(connectionString);
        try
        {
            var command = lane.Command(sql, parameters);
            T result;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                result = await read(reader);
            }

            if (!Volatile.Read(ref _disposed))
            {
                _idle.Add(lane);
                lane = null;
            }

            return result;
        }
        finally
        {
            // A read that failed (or a store shut down meanwhile) closes its connection rather than hand on one in doubt.
            lane?.Dispose();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        while (_idle.TryTake(out var lane))
        {
            lane.Dispose();
        }
    }

    private sealed class Lane : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public Lane(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
        }

        public SqliteCommand Command(string sql, (string Name, object? Value)[] parameters)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = _connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    StoreDatabase.Parameter(command, name, value);
                }

                command.Prepare();
                _commands[sql] = command;
                return command;
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _connection.Dispose();
        }
    }
}
