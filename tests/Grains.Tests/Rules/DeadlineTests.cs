using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>When time alone can change a rule's answer, construct by construct.</summary>
public sealed class DeadlineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static SampleCustomer Customer()
    {
        var customer = new SampleCustomer();
        foreach (var days in new[] { 50, 40, 30, 20, 10, 1 })
        {
            customer.Events.Add(new SampleEvent("visit", Now.AddDays(-days), []));
        }

        customer.Events.Add(new SampleEvent("product_viewed", Now.AddDays(-5), new() { ["category"] = RuleValue.Of("shoes") }));
        customer.Events.Add(new SampleEvent("product_viewed", Now.AddDays(-2), new() { ["category"] = RuleValue.Of("hats") }));
        customer.Traits["last_order"] = RuleValue.Of(Now.AddDays(-10));
        customer.Traits["orders"] = RuleValue.Of(2);
        customer.ProfileFields["birth_date"] = RuleValue.Of(new DateTimeOffset(1990, 12, 3, 0, 0, 0, TimeSpan.Zero));
        return customer;
    }

    public static TheoryData<string, double?> Deadlines => new()
    {
        // The visit 10 days ago leaves a 14-day window in 4 days.
        { "count(visit, 14d) == 0", 4 },
        // Regular but silent: the earliest change of either window (the 10-day-old visit, again).
        { "count(visit, 90d) >= 6 and count(visit, 14d) == 0", 4 },
        // The 50-day-old visit leaves the 60-day window in 10 days.
        { "count(visit, 60d) >= 6", 10 },
        { "sum(order_completed.revenue, 30d) > 0", null },
        // Only matching events count: the shoes view leaves the window in 25 days, the hats view is ignored.
        { "count(product_viewed where category == \"shoes\", 30d) >= 1", 25 },
        // Ten days since the last order: past 60 days one tick after 60 days, in 50; 20 days reached in 10.
        { "days_since(last_order) > 60", 50 + (1.0 / TimeSpan.TicksPerDay) },
        { "days_since(last_order) between 20 and 30", 10 },
        // Born 3 December: 36 on the next birthday, at midnight 8.5 days away.
        { "profile.age >= 36", 8.5 },
        { "orders > 1", null },
        { "not (orders > 1 or count(visit, 2d) == 1)", 1 },
    };

    [Theory]
    [MemberData(nameof(Deadlines))]
    public void The_next_deadline_is_the_first_instant_time_alone_can_change_the_answer(string rule, double? inDays)
    {
        var deadline = RuleCompiler.Compile(rule).NextDeadline(Customer(), Now);

        Assert.Equal(inDays is { } days ? Now.AddTicks((long)Math.Round(days * TimeSpan.TicksPerDay)) : null, deadline);
    }

    [Fact]
    public void A_future_stamped_event_enters_its_window_at_its_own_time()
    {
        var customer = new SampleCustomer();
        customer.Events.Add(new SampleEvent("visit", Now.AddHours(3), []));

        Assert.Equal(Now.AddHours(3), RuleCompiler.Compile("count(visit, 7d) >= 1").NextDeadline(customer, Now));
    }

    [Fact]
    public void Past_thresholds_give_no_deadline()
    {
        var customer = new SampleCustomer();
        customer.Traits["last_order"] = RuleValue.Of(Now.AddDays(-100));

        Assert.Null(RuleCompiler.Compile("days_since(last_order) > 60").NextDeadline(customer, Now));
        Assert.Null(RuleCompiler.Compile("days_since(last_order) > 60").NextDeadline(new SampleCustomer(), Now));
    }
}
