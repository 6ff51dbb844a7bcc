using System.Collections.Immutable;

namespace CustomerGrains.Grains.Models;

/// <summary>A page of a ranking: customers with their value, best first in the order asked, and whether more follow.</summary>
[GenerateSerializer, Immutable, Alias("cg.RankingPage")]
public sealed record RankingPage(
    [property: Id(0)] ImmutableArray<RankedCustomer> Items,
    [property: Id(1)] bool More,
    [property: Id(2)] string? Error = null);

[GenerateSerializer, Immutable, Alias("cg.RankedCustomer")]
public sealed record RankedCustomer([property: Id(0)] string CustomerId, [property: Id(1)] double Value);
