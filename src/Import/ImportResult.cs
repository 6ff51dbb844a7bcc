namespace CustomerGrains.Import;

/// <summary>
/// How an import run ended: totals for this run, and the first bad line if it stopped on one (found locally), or the
/// HTTP status the Api refused a batch with (<see cref="RefusedStatus"/>).
/// </summary>
public sealed record ImportResult(long Accepted, long Duplicates, long Lines, long? FailedLine, string? Failure, int? RefusedStatus = null)
{
    public bool Succeeded => Failure is null;
}
