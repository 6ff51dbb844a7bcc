namespace CustomerGrains.Grains.Storage;

/// <summary>
/// A customer's row of the purchase index (<c>cg_purchases</c>): its purchase days, encoded (opaque here), its number of
/// orders and its revenue net of refunds (what rankings order by). No days: the customer has no orders, the row goes.
/// </summary>
public sealed record PurchaseRow(byte[] Days, int Orders, double Revenue)
{
    public bool IsEmpty => Days.Length == 0;
}
