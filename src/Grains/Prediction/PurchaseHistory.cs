namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// A customer's purchases as the purchase index holds them: its <see cref="Orders"/> (each order's instant and revenue)
/// and its <see cref="Days"/>, derived from them (what the purchase models, rankings and the stats' purchase days read).
/// A row written before schema migration 9 stored days only: its orders are unknown (null) until its customer writes
/// the row again (its next commit of any kind, or the store's next reclassification pass).
/// </summary>
public sealed class PurchaseHistory
{
    private PurchaseHistory(PurchaseDay[] days, PurchaseOrder[]? orders) => (Days, Orders) = (days, orders);

    /// <summary>Ascending, distinct UTC days with their revenue summed.</summary>
    public PurchaseDay[] Days { get; }

    /// <summary>The orders in ascending order of instant; null when the row predates them (only days are known).</summary>
    public PurchaseOrder[]? Orders { get; }

    /// <summary>A history from its orders (ascending by instant): the days are derived from them.</summary>
    public static PurchaseHistory OfOrders(PurchaseOrder[] orders) => new(PurchaseSummaries.Days(orders), orders);

    /// <summary>A history of which only the purchase days are known (a row written before the orders were kept).</summary>
    public static PurchaseHistory OfDaysOnly(PurchaseDay[] days) => new(days, null);

    /// <summary>
    /// A stored row's history: from its orders when it has them (<see cref="PurchaseOrderCodec"/>), else from its days
    /// (<see cref="PurchaseDayCodec"/>).
    /// </summary>
    /// <exception cref="FormatException">A blob the codecs refuse.</exception>
    public static PurchaseHistory Decode(byte[] days, byte[]? orders) =>
        orders is null ? OfDaysOnly(PurchaseDayCodec.Decode(days)) : OfOrders(PurchaseOrderCodec.Decode(orders));
}
