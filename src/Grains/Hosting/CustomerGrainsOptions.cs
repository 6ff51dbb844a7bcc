namespace CustomerGrains.Grains.Hosting;

/// <summary>Where the engine keeps its state. Section <c>CustomerGrains</c>; environment <c>CustomerGrains__*</c>.</summary>
public sealed class CustomerGrainsOptions
{
    /// <summary>Where the Api listens when no <c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>URLS</c> or <c>Urls</c> says otherwise.</summary>
    public const string DefaultApiUrls = "http://127.0.0.1:5080";

    /// <summary>Where a cluster silo's HTTP endpoint (<c>/health/live</c>) listens when nothing says otherwise.</summary>
    public const string DefaultSiloUrls = "http://127.0.0.1:5090";

    public const string Section = "CustomerGrains";

    /// <summary><c>Embedded</c> (default: the Api hosts a silo on SQLite) or <c>Client</c> (the Api joins a PostgreSQL cluster).</summary>
    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    /// <summary>Folder of the embedded SQLite database; created when missing.</summary>
    public string DataPath { get; set; } = "data";

    /// <summary>Npgsql connection string for cluster mode (silos and client-mode Api).</summary>
    public string? PostgreSql { get; set; }

    public string ClusterId { get; set; } = "customergrains";

    public string ServiceId { get; set; } = "customergrains";

    /// <summary>
    /// A cluster silo's name in the membership table (its pod name in Kubernetes); Orleans picks one from the
    /// machine name and port when it is not set.
    /// </summary>
    public string? SiloName { get; set; }

    /// <summary>The address a cluster silo advertises to the others (its pod IP in Kubernetes).</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>Orleans silo-to-silo port (cluster silos; loopback only in embedded mode).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans gateway port clients connect to (cluster silos; loopback only in embedded mode).</summary>
    public int GatewayPort { get; set; } = 30000;

    public string SqliteConnectionString =>
        $"Data Source={Path.Combine(Path.GetFullPath(DataPath), "customergrains.db")};Pooling=True;Default Timeout=30";
}
