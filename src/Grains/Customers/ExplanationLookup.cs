namespace CustomerGrains.Grains.Customers;

/// <summary>Whether the segment serves in the store and, when the customer exists too, why it is or is not a member.</summary>
[GenerateSerializer, Immutable, Alias("cg.ExplanationLookup")]
public sealed record ExplanationLookup(
    [property: Id(0)] bool SegmentExists,
    [property: Id(1)] SegmentExplanation? Explanation);
