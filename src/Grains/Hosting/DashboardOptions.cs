namespace CustomerGrains.Grains.Hosting;

/// <summary>
/// Section <c>CustomerGrains:Dashboard</c>: the Orleans dashboard, off unless turned on. It profiles every grain call, so it
/// costs a little on the path of each event; in a cluster turn it on for the silos and the client-mode Api alike (the Api
/// serves the pages, behind the admin scope; silos collect).
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = $"{CustomerGrainsOptions.Section}:Dashboard";

    /// <summary>Where the Api serves the dashboard.</summary>
    public const string Path = "/dashboard";

    public bool Enabled { get; set; }
}
