namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// One order of a customer as the purchase index keeps it: when it was placed and what it was worth. Refunds are not
/// subtracted: a refund is an event of its own, at its own instant, and an order's worth is what it was when placed
/// (the purchase days and the models read it so, as the stats' revenue does).
/// </summary>
/// <param name="UtcTicks">The order's instant (its event's timestamp), <c>DateTimeOffset.UtcTicks</c>.</param>
/// <param name="Revenue">The order's revenue as sent.</param>
[GenerateSerializer, Immutable, Alias("cg.PurchaseOrder")]
public readonly record struct PurchaseOrder([property: Id(0)] long UtcTicks, [property: Id(1)] double Revenue)
{
    /// <summary>The order's UTC day: days since 0001-01-01 UTC, as <see cref="PurchaseDay.Day"/>.</summary>
    public int Day => (int)(UtcTicks / TimeSpan.TicksPerDay);

    public DateTimeOffset At => new(UtcTicks, TimeSpan.Zero);
}
