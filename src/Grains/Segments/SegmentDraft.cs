namespace CustomerGrains.Grains.Segments;

/// <summary>
/// What a client submits to create or replace a segment; <see cref="Rule"/> is canonical rule text; <see cref="Holdout"/>
/// the percentage of members kept as a control group (0–<see cref="Segments.Holdout.MaxPercent"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.SegmentDraft")]
public sealed record SegmentDraft(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] string Rule,
    [property: Id(4)] string? Parent = null,
    [property: Id(5)] int Holdout = 0,
    [property: Id(6)] TimeSpan? MinDwell = null);
