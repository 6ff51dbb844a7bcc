using CustomerGrains.Grains.Classification;

namespace CustomerGrains.Grains.Tests.Classification;

public sealed class LifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, null, "prospect", null)]
    [InlineData(10, 10, "new", 20)]
    [InlineData(30, 30, "new", 0)]
    [InlineData(40, 5, "active", 85)]
    [InlineData(400, 90, "active", 0)]
    [InlineData(400, 100, "at_risk", 80)]
    [InlineData(400, 181, "lapsed", 184)]
    [InlineData(900, 366, "churned", null)]
    public void The_stage_follows_first_and_last_order_and_says_when_it_next_changes(int? firstDaysAgo, int? lastDaysAgo, string stage, int? changesInDays)
    {
        DateTimeOffset? first = firstDaysAgo is { } f ? Now.AddDays(-f) : null;
        DateTimeOffset? last = lastDaysAgo is { } l ? Now.AddDays(-l) : null;

        Assert.Equal(stage, Lifecycle.Of(first, last, Now));
        var next = Lifecycle.NextChange(first, last, Now);
        Assert.Equal(changesInDays is { } days ? Now.AddDays(days).AddTicks(1) : null, next);
        if (next is { } at)
        {
            Assert.NotEqual(stage, Lifecycle.Of(first, last, at));
            Assert.Equal(stage, Lifecycle.Of(first, last, at.AddTicks(-1)));
        }
    }

    [Fact]
    public void A_store_can_set_the_days_of_each_stage()
    {
        var weekly = new ClassificationSettings(NewDays: 7, ActiveDays: 14, AtRiskDays: 30, LapsedDays: 60);

        Assert.Equal("active", Lifecycle.Of(Now.AddDays(-40), Now.AddDays(-10), Now, weekly));
        Assert.Equal("at_risk", Lifecycle.Of(Now.AddDays(-40), Now.AddDays(-20), Now, weekly));
        Assert.Equal("churned", Lifecycle.Of(Now.AddDays(-400), Now.AddDays(-61), Now, weekly));
        Assert.Equal(Now.AddDays(4).AddTicks(1), Lifecycle.NextChange(Now.AddDays(-40), Now.AddDays(-10), Now, weekly));
    }
}
