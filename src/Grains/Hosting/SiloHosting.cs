using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CustomerGrains.Grains.Hosting;

/// <summary>How a silo is put together, shared by the embedded Api, the cluster silo and the test clusters.</summary>
public static class SiloHosting
{
    /// <summary>
    /// ADO.NET invariant names. Orleans 10.4.2 knows SQLite only as "System.Data.SQLite", which it loads from the
    /// Microsoft.Data.Sqlite assembly ("Microsoft.Data.Sqlite" itself throws KeyNotFoundException at silo start).
    /// </summary>
    public const string SqliteInvariant = "System.Data.SQLite";
    public const string PostgreSqlInvariant = "Npgsql";

    /// <summary>
    /// How long a cluster silo may take to stop on SIGTERM: hand its activations over, deactivate them (customers
    /// write their snapshots) and mark itself dead in the membership table. Past it the host stops the silo
    /// ungracefully. Whatever stops the process (Kubernetes' terminationGracePeriodSeconds, deploy/cluster.sh)
    /// must wait longer than this.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Configuration section bound to Orleans' <see cref="ClusterMembershipOptions"/> on cluster silos.</summary>
    public const string MembershipSection = $"{CustomerGrainsOptions.Section}:Membership";

    /// <summary>Configuration section bound to Orleans' <see cref="GatewayOptions"/> on cluster clients (the client-mode Api).</summary>
    public const string GatewaySection = $"{CustomerGrainsOptions.Section}:Gateway";

    /// <summary>The grains' own services: per-silo rule cache, clock, behaviour options.</summary>
    public static ISiloBuilder AddCustomerGrains(this ISiloBuilder silo)
    {
        silo.Services.TryAddKeyedSingleton(EngineClock.Key, TimeProvider.System);
        silo.Services.TryAddSingleton(TimeProvider.System); // the host's real clock: Orleans' timeouts, cache lifetimes
        silo.Services.AddSingleton<CatalogVersions>();
        silo.Services.AddSingleton<Evaluation.SegmentRuleCache>();
        silo.Services.AddEngineSettings();
        silo.Services.AddOptions<GrainCollectionOptions>().Configure<IOptions<Customers.CustomerActivationOptions>>(
            (collection, customers) => collection.ClassSpecificCollectionAge[typeof(Customers.CustomerGrain).FullName!] = customers.Value.IdleAfter);
        silo.Services.AddSiloMetrics();
        silo.Services.AddSingleton<IJournalCommitter>(services => services.GetRequiredService<StoreDatabase>().Kind == DatabaseKind.Sqlite
            ? ActivatorUtilities.CreateInstance<SqliteJournalCommitter>(services)
            : ActivatorUtilities.CreateInstance<PostgresJournalCommitter>(services));
        silo.Services.AddSingleton<JournalWriter>();
        silo.Services.AddSingleton<IHostedService>(services => services.GetRequiredService<JournalWriter>());
        silo.Services.AddSingleton<JournalTailReader>();
        silo.Services.AddSingleton<MemberRowReader>();
        silo.Services.AddSingleton<EventClaimRows>();
        silo.Services.AddSingleton<IdentityKeyRows>();
        silo.Services.AddSingleton<MemberRowWriter>();
        silo.Services.AddSingleton<CustomerDirectoryReader>();
        silo.Services.AddSingleton<PurchaseRowReader>();
        silo.Services.AddSingleton<PurchaseIndex>();
        silo.Services.AddSingleton<ChangeSignal>();
        silo.Services.AddSingleton<ChangeRowReader>();
        silo.Services.AddSingleton<DeadlineRowReader>();
        silo.Services.AddSingleton<Effectiveness.FeedReplaySource>();
        silo.Services.AddSingleton<Customers.CustomerJournal>();
        silo.Services.AddSingleton<Customers.CustomerCalls>();
        silo.Services.AddSingleton<ISegmentSubjects>(services => services.GetRequiredService<Customers.CustomerCalls>());
        silo.Services.AddSingleton<Deadlines.IDueCustomers>(services => services.GetRequiredService<Customers.CustomerCalls>());
        silo.Services.AddSingleton<Models.ILookalikeCases>(services => services.GetRequiredService<Customers.CustomerCalls>());
        silo.Services.AddSingleton<Population.PopulationReporter>();
        silo.Services.AddSingleton<IHostedService>(services => services.GetRequiredService<Population.PopulationReporter>());
        silo.Services.AddSingleton<Population.PopulationCache>();
        silo.Services.AddSingleton<DataQuality.IQualitySubjects>(services => services.GetRequiredService<Customers.CustomerCalls>());
        silo.Services.AddSingleton<DataQuality.QualityReporter>();
        silo.Services.AddSingleton<IHostedService>(services => services.GetRequiredService<DataQuality.QualityReporter>());
        silo.Services.AddHostedService<Deadlines.DeadlineShardKeeper>();
        silo.Services.AddHostedService<Models.ModelRefitSchedule>();
        silo.Services.AddSingleton<Webhooks.WebhookDestinations>();
        silo.Services.AddSingleton<Webhooks.WebhookSender>();
        silo.Services.AddHostedService<Webhooks.WebhookKeeper>();
        silo.Services.AddDatabaseExceptionSerialization();
        return silo;
    }

    /// <summary>
    /// Brings the schema up to date before the silo starts: call before <c>UseOrleans</c>, since hosted services
    /// start in the order they were added. Migrations are stamped by the engine's clock.
    /// </summary>
    public static IServiceCollection AddSchemaMigration(this IServiceCollection services, DatabaseKind kind, string connectionString)
    {
        services.TryAddKeyedSingleton(EngineClock.Key, TimeProvider.System);
        return services.AddHostedService(sp => ActivatorUtilities.CreateInstance<SchemaMigrationService>(
            sp, kind, connectionString, sp.GetRequiredKeyedService<TimeProvider>(EngineClock.Key)));
    }

    /// <summary>
    /// Npgsql's exceptions cross silo and client boundaries as themselves. Orleans serializes exceptions only from
    /// namespaces it knows (System, Microsoft, …); without this a database outage met by a grain on another
    /// silo surfaced as CodecNotFoundException — a 500 — instead of the DbException the Api answers with 503.
    /// </summary>
    public static IServiceCollection AddDatabaseExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));

    /// <summary>One process: localhost clustering (on the given loopback ports) and grain state in a SQLite file.</summary>
    public static ISiloBuilder UseEmbeddedSqlite(this ISiloBuilder silo, string connectionString, int siloPort, int gatewayPort)
    {
        silo.UseLocalhostClustering(siloPort, gatewayPort);
        return silo.AddSqliteStorage(connectionString);
    }

    /// <summary>Grain state in a SQLite file (test clusters bring their own clustering).</summary>
    public static ISiloBuilder AddSqliteStorage(this ISiloBuilder silo, string connectionString)
    {
        // The ADO.NET provider does the work under an inner name; ours queues its writes (see SerializedWritesGrainStorage).
        const string inner = StorageNames.Provider + "-sqlite";
        silo.Services.AddSingleton(_ => new StoreDatabase(DatabaseKind.Sqlite, connectionString));
        silo.AddStorage(inner, SqliteInvariant, connectionString);
        silo.Services.AddKeyedSingleton<IGrainStorage>(
            StorageNames.Provider,
            (services, _) => new SerializedWritesGrainStorage(
                services.GetRequiredKeyedService<IGrainStorage>(inner), services.GetRequiredService<StoreDatabase>(),
                services.GetRequiredService<IOptions<ClusterOptions>>(), services.GetRequiredService<IActivatorProvider>()));
        return silo;
    }

    /// <summary>A cluster member: membership, grain state and reminders in PostgreSQL.</summary>
    public static ISiloBuilder UsePostgreSqlCluster(this ISiloBuilder silo, string connectionString, string clusterId, string serviceId)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgreSqlInvariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgreSqlInvariant;
            o.ConnectionString = connectionString;
        });
        silo.Services.AddSingleton(_ => new StoreDatabase(DatabaseKind.PostgreSql, connectionString));
        silo.Services.AddSingleton<MembershipFence>();

        // At most one activation of a grain, also while silos join, leave or are declared dead. The default
        // directory is eventually consistent and lets two activations of one grain run side by side for a while
        // when the cluster changes: two customer activations would each decide from their own state (the single
        // writer of ARCHITECTURE: Invariants broken), and two activations of a segment shard would each hear part of the changes.
#pragma warning disable ORLEANSEXP003 // marked for evaluation by Orleans; its guarantee is the one this product needs
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        // Failure detection (ProbeTimeout, NumMissedProbesLimit, NumVotesForDeathDeclaration, DeathVoteExpirationTimeout, …):
        // Orleans' defaults unless set; the fault tests shorten them to declare a frozen silo dead within seconds.
        silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration(MembershipSection);
        return silo.AddStorage(StorageNames.Provider, PostgreSqlInvariant, connectionString);
    }

    /// <summary>An Orleans client of a PostgreSQL-clustered silo set.</summary>
    public static IClientBuilder UsePostgreSqlCluster(this IClientBuilder client, string connectionString, string clusterId, string serviceId)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });

        // How soon the client stops using a gateway the membership table calls dead (Orleans' default: 1 minute).
        client.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewaySection);
        client.Services.AddDatabaseExceptionSerialization();
        return client.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgreSqlInvariant;
            o.ConnectionString = connectionString;
        });
    }

    private static ISiloBuilder AddStorage(this ISiloBuilder silo, string name, string invariant, string connectionString)
    {
        silo.AddAdoNetGrainStorage(name, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });

        // Orleans' own binary format: compact and tolerant of renames through [Id]/[Alias], unlike the
        // default JSON with assembly-qualified type names. Chosen before the first stored row; never change it.
        silo.Services.AddOptions<AdoNetGrainStorageOptions>(name)
            .Configure<IServiceProvider>((o, services) =>
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
        return silo;
    }
}
