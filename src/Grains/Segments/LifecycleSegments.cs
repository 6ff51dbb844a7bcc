using CustomerGrains.Grains.Classification;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// Every store starts with one segment per lifecycle stage (<c>lifecycle-prospect</c> …
/// <c>lifecycle-churned</c>); they are ordinary segments a store can edit or delete. The stages' days
/// are the store's classification settings.
/// </summary>
public static class LifecycleSegments
{
    public static IReadOnlyList<SegmentDraft> Defaults { get; } =
        [.. Lifecycle.Stages.Select(stage => new SegmentDraft(
            $"lifecycle-{stage.Replace('_', '-')}",
            $"Lifecycle: {stage.Replace('_', ' ')}",
            "Created with the store; edit or delete it like any segment.",
            $"lifecycle == \"{stage}\""))];
}
