using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Hosting;

/// <summary>
/// Brings the database schema up to date before the silo starts (registered ahead of Orleans, and hosted
/// services start in order). Safe when several processes start at once.
/// </summary>
public sealed class SchemaMigrationService(DatabaseKind kind, string connectionString, TimeProvider time, ILogger<SchemaMigrationService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.ApplyAsync(kind, connectionString, time, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
