using System.Diagnostics;
using Npgsql;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL on loopback, installed and started by the project's own script
/// (<c>scripts/postgres.sh</c>), stopped and removed afterwards.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string _port = HostProcess.FreePortText();

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = (await ScriptAsync("start")).Trim();

    public Task DisposeAsync() => ScriptAsync("stop");

    /// <summary>Crashes the server (immediate shutdown: no checkpoint, every connection dropped); its data stays.</summary>
    public Task KillAsync() => ScriptAsync("kill");

    /// <summary>Starts the server again on the data <see cref="KillAsync"/> left; returns once it accepts connections.</summary>
    public Task ResumeAsync() => ScriptAsync("resume");

    /// <summary>A new empty database on the server, for tests that need a clean schema.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"cg_{Guid.NewGuid():N}";
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = "postgres", Database = "postgres" };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} OWNER customergrains", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    private async Task<string> ScriptAsync(string command)
    {
        var script = Path.Combine(RepositoryRoot.Find(), "scripts", "postgres.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, command, _port])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {command} failed: {await errors}");
        }

        return await output;
    }
}
