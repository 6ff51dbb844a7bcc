namespace CustomerGrains.Grains.Storage;

/// <summary>How customers snapshot and trim their journal. Section <c>CustomerGrains:Journal</c>.</summary>
public sealed class JournalOptions
{
    public const string Section = "Journal";

    /// <summary>A customer writes a snapshot after this many journal entries…</summary>
    public int SnapshotEvery { get; set; } = 64;

    /// <summary>…or this long after its first entry not covered by a snapshot, whichever comes first.</summary>
    public TimeSpan SnapshotDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Journal entries covered by a snapshot are kept this long, then removed.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
}
