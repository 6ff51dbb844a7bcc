namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// One purchase day of a customer: the purchase models count days, not orders, so that several orders on one day are
/// one purchase (as in the published fits of the models).
/// </summary>
/// <param name="Day">Days since 0001-01-01 UTC: <c>DateTimeOffset.UtcTicks / TimeSpan.TicksPerDay</c>.</param>
/// <param name="Revenue">The revenue of that day's orders, summed.</param>
[GenerateSerializer, Immutable, Alias("cg.PurchaseDay")]
public readonly record struct PurchaseDay([property: Id(0)] int Day, [property: Id(1)] double Revenue);
