namespace CustomerGrains.Grains.Effectiveness;

/// <summary>A figure and its 95 % interval (null ends: no interval can be given).</summary>
[GenerateSerializer, Immutable, Alias("cg.Estimate")]
public sealed record Estimate([property: Id(0)] double Value, [property: Id(1)] double? Low, [property: Id(2)] double? High);
