namespace CustomerGrains.Grains.Infrastructure.Telemetry;

/// <summary>Section <c>CustomerGrains:Metrics</c>: the Prometheus endpoint and how many stores get a label of their own.</summary>
public sealed class MetricsOptions
{
    public const string Section = "CustomerGrains:Metrics";

    /// <summary>Serve <c>/metrics</c> (Prometheus text). On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The Api's <c>/metrics</c> asks for a key with the admin scope. Off by default: Prometheus scrapes without one and the
    /// default host listens on loopback only. (A cluster silo's endpoint has no keys to check: keep it off public networks.)
    /// </summary>
    public bool RequireKey { get; set; }

    /// <summary>Stores named in labels; a store seen after this many is counted under <c>other</c>, so series stay bounded.</summary>
    public int MaxStoreLabels { get; set; } = 100;
}
