using CustomerGrains.Grains.Hosting;
using CustomerGrains.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace CustomerGrains.Grains.Tests.Infrastructure;

/// <summary>
/// Two in-process silos on a real SQLite file, migrated by the project's own scripts, sharing one
/// <see cref="FakeTimeProvider"/> so tests move time instead of sleeping. One per test collection.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // Test silos are built by type, not by instance: they read these when configured.
    internal static string ConnectionString = "";
    internal static FakeTimeProvider SharedTime = new();

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"cg-cluster-{Guid.NewGuid():N}");

    public TestCluster Cluster { get; private set; } = null!;

    public FakeTimeProvider Time => SharedTime;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Each silo's services (the silos run in this process).</summary>
    public IEnumerable<IServiceProvider> SiloServices => Cluster.Silos.Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        ConnectionString = $"Data Source={Path.Combine(_folder, "test.db")};Pooling=True;Default Timeout=30";
        SharedTime = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await SchemaMigrator.ApplyAsync(DatabaseKind.Sqlite, ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>A scalar straight from the silos' database.</summary>
    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a grain with this key (a customer's is <c>store/customer</c>) is active on some silo.</summary>
    public async Task<bool> IsActiveAsync(string key)
    {
        var active = await Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return active.Any(a => a.GrainId.Key.ToString() == key);
    }

    /// <summary>
    /// Deactivates every idle grain, again until none with these keys is left: a grain still finishing its work (a
    /// commit's follow-up) is not idle yet when a round starts, and goes in a later one.
    /// </summary>
    public async Task DeactivateAsync(params string[] keys)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            var left = false;
            foreach (var key in keys)
            {
                left |= await IsActiveAsync(key);
            }

            if (!left)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{string.Join(", ", keys)} stayed active");
            await Task.Delay(10);
        }
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is not worth failing a run for.
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(CustomerGrains.Grains.Infrastructure.EngineClock.Key, SharedTime);
            siloBuilder.AddSqliteStorage(ConnectionString).AddCustomerGrains();

            // Population statistics travel and are acted on quickly, so tests wait briefly.
            siloBuilder.Services.Configure<CustomerGrains.Grains.Population.ClassificationOptions>(o =>
            {
                o.ReportEvery = TimeSpan.FromMilliseconds(50);
                o.CacheFor = TimeSpan.FromMilliseconds(50);
                o.ReclassifyEvery = TimeSpan.FromMilliseconds(200);
            });

            // Few ids per customer, so that the limit is reached in a test.
            siloBuilder.Services.Configure<CustomerGrains.Grains.Customers.IdentityOptions>(o => o.MaxIds = 5);

            // Data-quality updates travel and are written quickly too.
            siloBuilder.Services.Configure<CustomerGrains.Grains.DataQuality.QualityOptions>(o =>
            {
                o.ReportEvery = TimeSpan.FromMilliseconds(50);
                o.WriteEvery = TimeSpan.FromMilliseconds(100);
            });

            // Snapshot often and trim at once, so every test also exercises snapshots and replays.
            siloBuilder.Services.Configure<JournalOptions>(o =>
            {
                o.SnapshotEvery = 3;
                o.Retention = TimeSpan.Zero;
            });
        }
    }
}
