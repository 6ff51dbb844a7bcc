namespace CustomerGrains.Grains.Storage;

/// <summary>
/// A customer's row of the purchase index (<c>cg_purchases</c>), its blobs opaque here: its orders
/// (<see cref="OrderList"/>, each order's instant and revenue), its number of orders and its revenue net of refunds (what
/// rankings order by). <see cref="Days"/> holds purchase days only in rows written before schema migration 9, which have
/// no order list; a row written since leaves it empty (the days are derived from the orders). No orders: the customer has
/// none, the row goes.
/// </summary>
public sealed record PurchaseRow(byte[] Days, int Orders, double Revenue, byte[]? OrderList = null)
{
    public bool IsEmpty => Orders == 0;

    /// <summary>The row a customer writes: its orders, encoded, and no days.</summary>
    public static PurchaseRow OfOrders(byte[] orderList, int orders, double revenue) => new([], orders, revenue, orderList);
}
