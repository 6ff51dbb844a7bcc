namespace CustomerGrains.Api.Contracts;

/// <summary>
/// The numbers of a customer's prediction now (null for a customer without orders): P(alive), orders expected over
/// 90 days, expected value per order, predicted value over the store's CLV horizon, and when the model was fitted.
/// </summary>
public sealed record PredictionResponse(double? PAlive, double? ExpectedOrders90d, double? ExpectedSpend, double? Clv, DateTimeOffset? ModelFittedAt);
