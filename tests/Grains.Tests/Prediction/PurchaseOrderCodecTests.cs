using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

/// <summary>The purchase index's orders: stored 16 bytes an order, read back exactly, and the purchase days derived from them.</summary>
public sealed class PurchaseOrderCodecTests
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Orders_come_back_exactly_as_they_were_encoded()
    {
        PurchaseOrder[] orders =
        [
            new(Jan1.UtcTicks, 0),
            new(Jan1.AddHours(9).AddTicks(1).UtcTicks, 12.345678901234567),
            new(Jan1.AddHours(9).AddTicks(1).UtcTicks, 20),
            new(Jan1.AddDays(400).UtcTicks, -3.5),
            new(DateTimeOffset.MaxValue.UtcTicks, double.Epsilon),
        ];

        var bytes = PurchaseOrderCodec.Encode(orders);

        Assert.Equal(16 * orders.Length, bytes.Length);
        Assert.Equal(orders, PurchaseOrderCodec.Decode(bytes));
        Assert.Empty(PurchaseOrderCodec.Decode(PurchaseOrderCodec.Encode([])));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)] // a purchase day's length: not an order
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(36)] // three purchase days
    public void A_blob_that_is_no_whole_number_of_orders_is_refused(int length)
    {
        Assert.Throws<FormatException>(() => PurchaseOrderCodec.Decode(new byte[length]));
    }

    [Fact]
    public void Orders_out_of_order_or_out_of_range_are_refused()
    {
        var later = PurchaseOrderCodec.Encode([new(Jan1.AddDays(1).UtcTicks, 1)]);
        var earlier = PurchaseOrderCodec.Encode([new(Jan1.UtcTicks, 1)]);

        Assert.Throws<FormatException>(() => PurchaseOrderCodec.Decode([.. later, .. earlier]));
        Assert.Throws<FormatException>(() => PurchaseOrderCodec.Decode(PurchaseOrderCodec.Encode([new(-1, 1)])));
        Assert.Throws<ArgumentException>(() => PurchaseOrderCodec.Encode([new(Jan1.AddDays(1).UtcTicks, 1), new(Jan1.UtcTicks, 1)]));
    }

    [Fact]
    public void A_history_from_orders_derives_the_days_a_row_of_days_stores()
    {
        var orders = PurchaseSummaries.Orders([(Jan1.AddHours(23), 2.5), (Jan1.AddHours(9), 10), (Jan1.AddDays(2), 6)]);

        var fromOrders = PurchaseHistory.Decode([], PurchaseOrderCodec.Encode(orders));
        var fromDays = PurchaseHistory.Decode(PurchaseDayCodec.Encode(PurchaseSummaries.Days(orders)), null);

        Assert.Equal(fromDays.Days, fromOrders.Days);
        Assert.Equal([new PurchaseDay(Day(Jan1), 12.5), new PurchaseDay(Day(Jan1) + 2, 6)], fromOrders.Days);
        Assert.Equal([Jan1.AddHours(9), Jan1.AddHours(23), Jan1.AddDays(2)], fromOrders.Orders!.Select(o => o.At));
        Assert.Null(fromDays.Orders);
    }

    [Fact]
    public void Orders_are_put_in_one_order_whatever_order_they_come_in()
    {
        (DateTimeOffset, double)[] orders = [(Jan1.AddHours(5), 3), (Jan1.AddHours(1), 0.1), (Jan1.AddHours(5), 1), (Jan1.AddHours(1), 0.2)];

        var sorted = PurchaseSummaries.Orders(orders);

        Assert.Equal(sorted, PurchaseSummaries.Orders(orders.Reverse()));
        Assert.Equal([0.1, 0.2, 1, 3], sorted.Select(o => o.Revenue));
        Assert.Equal(PurchaseSummaries.Days(sorted)[0].Revenue, PurchaseSummaries.Days(orders.Reverse())[0].Revenue);
    }

    private static int Day(DateTimeOffset at) => (int)(at.UtcTicks / TimeSpan.TicksPerDay);
}
