using System.Buffers.Binary;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// A customer's orders as <c>cg_purchases.order_list</c> stores them (schema migration 9): 16 bytes an order, its instant
/// (UTC ticks, int64) then its revenue (IEEE double), little-endian, in ascending order of instant (as
/// <see cref="PurchaseSummaries.Orders"/> sorts them). The customer's purchase days are derived from them
/// (<see cref="PurchaseSummaries.Days(ReadOnlySpan{PurchaseOrder})"/>), so they are stored once.
/// </summary>
public static class PurchaseOrderCodec
{
    private const int Size = sizeof(long) + sizeof(double);

    /// <summary>The orders, encoded; they must be in ascending order of instant.</summary>
    /// <exception cref="ArgumentException">The orders are not in ascending order of instant.</exception>
    public static byte[] Encode(ReadOnlySpan<PurchaseOrder> orders)
    {
        var bytes = new byte[orders.Length * Size];
        for (var i = 0; i < orders.Length; i++)
        {
            if (i > 0 && orders[i].UtcTicks < orders[i - 1].UtcTicks)
            {
                throw new ArgumentException("Orders must be in ascending order of instant.", nameof(orders));
            }

            var slot = bytes.AsSpan(i * Size, Size);
            BinaryPrimitives.WriteInt64LittleEndian(slot, orders[i].UtcTicks);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[sizeof(long)..], orders[i].Revenue);
        }

        return bytes;
    }

    /// <summary>
    /// The orders back. A blob that <see cref="Encode"/> cannot have written is refused: a length that is no whole number
    /// of orders, an instant outside <see cref="DateTimeOffset"/>'s range, or instants out of order.
    /// </summary>
    /// <exception cref="FormatException">The blob is not a list of orders.</exception>
    public static PurchaseOrder[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Size != 0)
        {
            throw new FormatException($"Orders are {Size} bytes each; {bytes.Length} bytes is not a whole number of orders.");
        }

        var orders = new PurchaseOrder[bytes.Length / Size];
        for (var i = 0; i < orders.Length; i++)
        {
            var slot = bytes.Slice(i * Size, Size);
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(slot);
            if (ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks || (i > 0 && ticks < orders[i - 1].UtcTicks))
            {
                throw new FormatException($"Order {i} has an instant out of range or before the previous order's.");
            }

            orders[i] = new PurchaseOrder(ticks, BinaryPrimitives.ReadDoubleLittleEndian(slot[sizeof(long)..]));
        }

        return orders;
    }
}
