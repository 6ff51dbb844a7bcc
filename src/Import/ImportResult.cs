namespace CustomerGrains.Import;

/// <summary>How an import run ended: totals for this run, and the first bad line if it stopped on one.</summary>
public sealed record ImportResult(long Accepted, long Duplicates, long Lines, long? FailedLine, string? Failure)
{
    public bool Succeeded => Failure is null;
}
