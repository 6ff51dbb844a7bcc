namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// A store's fitted purchase models as its customers read them: BG/NBD for how many orders are still to come,
/// Gamma-Gamma for what each will be worth (absent when it could not be fitted: spend then falls back to the
/// customer's own mean order value), the time unit they were fitted in, how predicted value (CLV) is computed, and
/// the CLV cut points of the potential tiers (the 80th and 50th percentiles of the store's customers with orders at
/// the fit).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.StoreModels")]
public sealed record StoreModels(
    [property: Id(0)] BgNbdParameters BgNbd,
    [property: Id(1)] GammaGammaParameters? GammaGamma,
    [property: Id(2)] ModelTimeUnit Unit,
    [property: Id(3)] TimeSpan ClvHorizon,
    [property: Id(4)] double AnnualDiscountRate,
    [property: Id(5)] double HighFrom,
    [property: Id(6)] double MediumFrom,
    [property: Id(7)] DateTimeOffset FittedAt);
