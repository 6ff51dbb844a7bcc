namespace CustomerGrains.Api.Contracts;

/// <summary>
/// A customer's classification. The lifecycle stage is computed now; value tier and RFM scores need
/// store-wide population statistics that are not built yet, so they are null.
/// </summary>
public sealed record ClassificationResponse(string? ValueTier, object? Rfm, string Lifecycle);
