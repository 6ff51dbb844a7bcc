using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Api.Contracts;

/// <summary>A segment as DESIGN §9 shapes it.</summary>
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
    DateTimeOffset UpdatedAt)
{
    public static SegmentResponse From(SegmentInfo info)
    {
        var d = info.Definition;
        return new SegmentResponse(
            d.Id, d.Name, d.Description, d.Parent, d.Rule, d.Version, info.Backfill.Status,
            new BackfillResponse(info.Backfill.Evaluated, info.Backfill.Total), d.CreatedAt, d.UpdatedAt);
    }
}
