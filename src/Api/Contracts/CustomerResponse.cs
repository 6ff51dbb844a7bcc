using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Api.Contracts;

/// <summary>A customer as the README's API table shapes it.</summary>
public sealed record CustomerResponse(
    string CustomerId,
    IReadOnlyDictionary<string, object?> Profile,
    TraitsResponse Traits,
    ClassificationResponse Classification,
    IReadOnlyList<CustomerSegmentResponse> Segments,
    IReadOnlyList<CustomerLookalikeResponse> Lookalikes,
    IReadOnlyList<RawValueResponse> RawValues,
    IReadOnlyList<string> MergedIds)
{
    public static CustomerResponse From(CustomerView view) => new(
        view.CustomerId,
        view.Profile.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value.ToPlain()),
        new TraitsResponse(
            view.Traits.Orders, view.Traits.Revenue, view.Traits.Aov, view.Traits.Refunds,
            view.Traits.FirstOrderAt, view.Traits.LastOrderAt, view.Traits.FirstSeenAt, view.Traits.LastSeenAt,
            view.Traits.Events, view.Traits.EventCounts30d),
        new ClassificationResponse(
            view.Class?.ValueTier,
            view.Class is { } c ? new RfmResponse(c.R, c.F, c.M, c.RfmClass) : null,
            view.Lifecycle,
            view.Prediction?.Potential,
            view.Prediction?.ValuePotential,
            view.Prediction is { } p
                ? new PredictionResponse(p.PAlive, p.ExpectedOrders90d, p.ExpectedSpend, p.Clv, p.ModelFittedAt)
                : null),
        [.. view.Segments.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new CustomerSegmentResponse(s.Id, s.EnteredAt, s.Cause, s.Holdout))],
        view.Lookalikes.IsDefault ? [] : [.. view.Lookalikes.Select(l => new CustomerLookalikeResponse(l.Id, l.Score, l.Top))],
        view.RawValues.IsDefault ? [] : [.. view.RawValues.Select(r => new RawValueResponse(r.Field, r.Value.ToPlain(), r.Reason, r.At))],
        view.MergedIds.IsDefault ? [] : [.. view.MergedIds]);
}
