using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>Customers with no activity since <see cref="Since"/> (now − <see cref="InactiveDays"/>), oldest first.</summary>
[GenerateSerializer, Immutable, Alias("cg.ObsoleteSummary")]
public sealed record ObsoleteSummary(
    [property: Id(0)] int InactiveDays,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] long Count,
    [property: Id(3)] ImmutableArray<string> Examples);
