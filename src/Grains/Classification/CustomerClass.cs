namespace CustomerGrains.Grains.Classification;

/// <summary>A customer's value tier and RFM scores (1–5) with its RFM class.</summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerClass")]
public sealed record CustomerClass(
    [property: Id(0)] string ValueTier,
    [property: Id(1)] int R,
    [property: Id(2)] int F,
    [property: Id(3)] int M,
    [property: Id(4)] string RfmClass);
