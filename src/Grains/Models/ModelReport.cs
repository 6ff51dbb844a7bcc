using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// One fit of a store's purchase models, as <c>GET /v1/stores/{store}/models</c> shows it: both fits with their
/// status, the data (as of when, in which unit, how many customers), when it ran and how long it took, the cut
/// points of the potential tiers it set, and whether customers use it (<see cref="InUse"/>: a fit that did not
/// converge, or had too little data, leaves the previous models in use).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ModelReport")]
public sealed record ModelReport(
    [property: Id(0)] BgNbdFit BgNbd,
    [property: Id(1)] GammaGammaFit GammaGamma,
    [property: Id(2)] ModelTimeUnit Unit,
    [property: Id(3)] DateTimeOffset AsOf,
    [property: Id(4)] DateTimeOffset FittedAt,
    [property: Id(5)] TimeSpan Took,
    [property: Id(6)] int Customers,
    [property: Id(7)] StoreModels? Models,
    [property: Id(8)] bool InUse);
