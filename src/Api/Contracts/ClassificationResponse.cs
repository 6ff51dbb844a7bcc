namespace CustomerGrains.Api.Contracts;

/// <summary>
/// A customer's classification: value tier and RFM against its store's current population (null until
/// it has an order), and its lifecycle stage now.
/// </summary>
public sealed record ClassificationResponse(string? ValueTier, RfmResponse? Rfm, string Lifecycle);
