namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// What the store's purchase models predict of a customer now (its view's <c>classification.prediction</c>): P(alive),
/// orders expected over 90 days, expected value per order, predicted value over the store's horizon (CLV), potential
/// tier and the value × potential class; the numbers are null for a customer without orders (or while the store
/// has lookalike models only).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerPrediction")]
public sealed record CustomerPrediction(
    [property: Id(0)] double? PAlive,
    [property: Id(1)] double? ExpectedOrders90d,
    [property: Id(2)] double? ExpectedSpend,
    [property: Id(3)] double? Clv,
    [property: Id(4)] string Potential,
    [property: Id(5)] string? ValuePotential,
    [property: Id(6)] DateTimeOffset? ModelFittedAt);
