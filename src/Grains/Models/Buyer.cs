using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A buyer of a silo's copy of the purchase index (<see cref="PurchaseIndex"/>): its purchases (orders, when its row has
/// them, and purchase days). Replaced with a new one when its row is, never changed: safe to keep outside a read.
/// </summary>
public sealed class Buyer(PurchaseHistory purchases)
{
    public PurchaseHistory Purchases { get; } = purchases;

    public PurchaseDay[] Days => Purchases.Days;
}
