using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Api.Contracts;

/// <summary>
/// A segment as the README's API table shapes it. While an edit is backfilled, the serving version stays in
/// <c>rule</c>/<c>version</c> and the new one shows in <c>pendingRule</c>/<c>pendingVersion</c>. <c>holdout</c>: the
/// percentage of members kept as a control group, of the serving version. <c>minDwell</c>: a stay shorter than it is
/// neither announced nor counted as a flow (null: every change is).
/// </summary>
public sealed record SegmentResponse(
    string Id,
    string Name,
    string? Description,
    string? Parent,
    string Rule,
    long Version,
    string Status,
    BackfillResponse Backfill,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long? PendingVersion,
    string? PendingRule,
    int Holdout,
    string? MinDwell)
{
    public static SegmentResponse From(SegmentInfo info)
    {
        var d = info.Definition;
        return new SegmentResponse(
            d.Id, d.Name, d.Description, d.Parent, d.Rule, d.Version, info.Backfill.Status,
            new BackfillResponse(info.Backfill.Evaluated, info.Backfill.Total), d.CreatedAt, d.UpdatedAt,
            info.Pending?.Version, info.Pending?.Rule, d.Holdout, d.MinDwell is { } dwell ? SegmentDwell.Text(dwell) : null);
    }
}
