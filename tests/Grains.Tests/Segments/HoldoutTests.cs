using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Tests.Segments;

/// <summary>The holdout: a deterministic share of a segment's customers, by a hash that never changes.</summary>
public sealed class HoldoutTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(50)]
    public void The_control_share_of_100k_customers_is_within_one_and_a_half_points_of_the_setting(int percent)
    {
        var control = Enumerable.Range(0, 100_000).Count(i => Holdout.IsControl("shop", "vip", $"c{i}", percent));

        Assert.InRange(control / 1000.0, percent - 1.5, percent + 1.5);
    }

    [Fact]
    public void A_customer_gets_the_same_answer_every_time_and_raising_the_share_only_adds_control_customers()
    {
        for (var i = 0; i < 2000; i++)
        {
            var id = $"customer-{i}";
            var bucket = Holdout.Bucket("shop", "vip", id);
            Assert.Equal(bucket, Holdout.Bucket("shop", "vip", new string(id.ToCharArray())));
            Assert.InRange(bucket, 0, 99);
            Assert.False(Holdout.IsControl("shop", "vip", id, 0));
            for (var percent = 1; percent <= Holdout.MaxPercent; percent++)
            {
                Assert.Equal(bucket < percent, Holdout.IsControl("shop", "vip", id, percent));
            }
        }
    }

    [Theory]
    [InlineData("shop", "vip", "ana", 73)]
    [InlineData("shop", "vip", "bob", 54)]
    [InlineData("shop", "lapsed", "ana", 36)]
    [InlineData("other", "vip", "ana", 22)]
    public void The_bucket_is_pinned_so_that_no_release_moves_a_customer_between_groups(string store, string segment, string customer, int bucket)
    {
        Assert.Equal(bucket, Holdout.Bucket(store, segment, customer));
    }

    [Fact]
    public void Segments_and_stores_draw_their_control_groups_independently()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"c{i}").ToList();
        var vip = ids.Where(id => Holdout.IsControl("shop", "vip", id, 50)).ToHashSet();
        var lapsed = ids.Where(id => Holdout.IsControl("shop", "lapsed", id, 50)).ToHashSet();
        var elsewhere = ids.Where(id => Holdout.IsControl("other", "vip", id, 50)).ToHashSet();

        // Independent halves overlap on about a quarter of the customers.
        Assert.InRange(vip.Intersect(lapsed).Count() / 20_000.0, 0.23, 0.27);
        Assert.InRange(vip.Intersect(elsewhere).Count() / 20_000.0, 0.23, 0.27);
    }
}
