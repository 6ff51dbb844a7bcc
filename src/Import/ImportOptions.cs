namespace CustomerGrains.Import;

/// <summary>What to import, where to, and how to read it.</summary>
public sealed record ImportOptions(
    string File,
    Uri Api,
    string Key,
    string Store,
    CsvMapping? Csv,
    int BatchSize = 500,
    int InFlight = 4)
{
    /// <summary>Where the resume point is kept: beside the file.</summary>
    public string CheckpointFile => File + ".import-checkpoint";
}
