namespace CustomerGrains.Api.Contracts;

/// <summary>
/// A customer's classification: value tier and RFM against its store's current population (null until
/// it has an order), its lifecycle stage now, and what the store's purchase models predict (null until a model
/// is fitted): potential tier, the value × potential class and the numbers behind them.
/// </summary>
public sealed record ClassificationResponse(
    string? ValueTier,
    RfmResponse? Rfm,
    string Lifecycle,
    string? Potential = null,
    string? ValuePotential = null,
    PredictionResponse? Prediction = null);
