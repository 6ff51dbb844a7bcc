using System.Buffers.Binary;

namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// A customer's purchase days as <c>cg_purchases</c> stores them: 12 bytes a day, the day number (int32) then its
/// revenue (IEEE double), little-endian, in ascending day order. Compact and read in one pass by a fit over a million
/// customers. Rows written since schema migration 9 keep the orders instead (<see cref="PurchaseOrderCodec"/>, a column of
/// their own) and leave this column empty; the days are derived from the orders. Rows written before it are read with
/// this codec until their customers write them again.
/// </summary>
public static class PurchaseDayCodec
{
    private const int Size = sizeof(int) + sizeof(double);

    public static byte[] Encode(ReadOnlySpan<PurchaseDay> days)
    {
        var bytes = new byte[days.Length * Size];
        for (var i = 0; i < days.Length; i++)
        {
            var slot = bytes.AsSpan(i * Size, Size);
            BinaryPrimitives.WriteInt32LittleEndian(slot, days[i].Day);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[sizeof(int)..], days[i].Revenue);
        }

        return bytes;
    }

    /// <summary>The days back; a blob whose length is no whole number of days is refused (it was not written by <see cref="Encode"/>).</summary>
    public static PurchaseDay[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Size != 0)
        {
            throw new FormatException($"Purchase days are {Size} bytes each; {bytes.Length} bytes is not a whole number of days.");
        }

        var days = new PurchaseDay[bytes.Length / Size];
        for (var i = 0; i < days.Length; i++)
        {
            var slot = bytes.Slice(i * Size, Size);
            days[i] = new PurchaseDay(BinaryPrimitives.ReadInt32LittleEndian(slot), BinaryPrimitives.ReadDoubleLittleEndian(slot[sizeof(int)..]));
        }

        return days;
    }
}
