using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>
/// Every kind of rule that time alone can flip announces when: stepping from deadline to deadline over a real
/// customer, with no event arriving, the first step that changes the answer is the very instant it changes.
/// </summary>
public sealed class TimeFlipTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Ordered 10 days ago (for 50), visited 1 and 3 days ago, born 3 December 1990 (35, and 36 at midnight 8.5 days
    /// from now), a profile limit of "14", a note "soon" and tags ["12", "x"].
    /// </summary>
    private static CustomerState Regular() => Customer(
        Order("o1", "c", Now.AddDays(-10), 50),
        Visit("v1", "c", Now.AddDays(-3)),
        Visit("v2", "c", Now.AddDays(-1)),
        Identify("i1", "c", Now.AddDays(-10), ("birthDate", "1990-12-03"), ("limit", "14"), ("note", "soon")),
        Make("i2", "c", EventTypes.Identify, Now.AddDays(-10), ("tags", PropertyValue.Of(["12", "x"]))));

    /// <summary>
    /// A profile whose birth date is ahead of the clock: sent by an identify stamped 20 hours ahead (a client clock
    /// that is ahead, which the edge accepts up to a day), born that day. A birth date after its event's day is not
    /// plausible and never reaches the profile.
    /// </summary>
    private static CustomerState Unborn() => Customer(Identify("i1", "c", Now.AddHours(20), ("birthDate", "2026-11-25")));

    /// <summary>Born 29 February 2000: 27 on 1 March 2027, the first day past 28 February.</summary>
    private static CustomerState Leapling() => Customer(Identify("i1", "c", Now.AddDays(-1), ("birthDate", "2000-02-29")));

    /// <summary>A visit stamped two hours ahead of the clock.</summary>
    private static CustomerState Early() => Customer(Visit("v1", "c", Now.AddHours(2)), Visit("v2", "c", Now.AddDays(-1)));

    // Rule, customer, and the instant its answer first changes with no event: days and ticks after now.
    public static TheoryData<string, string, double, long> Flips => new()
    {
        // Windows: the visit 3 days ago leaves 14 days in 11, the order leaves 30 in 20.
        { "count(visit, 14d) >= 2", "regular", 11, 0 },
        { "count(visit, 14d) in [1]", "regular", 11, 0 },
        { "not (count(visit, 14d) != 2)", "regular", 11, 0 },
        { "sum(order_completed.revenue, 30d) between 1 and 100", "regular", 20, 0 },
        { "exists(profile.age) and count(visit, 14d) < 2", "regular", 11, 0 },
        { "count(visit, 7d) >= 2", "early", 2.0 / 24, 0 },
        // days_since(last_order) is 10 now: each operator turns where it reaches its value, or just past it.
        { "days_since(last_order) > 30", "regular", 20, 1 },
        { "days_since(last_order) >= 30", "regular", 20, 0 },
        { "days_since(last_order) == 30", "regular", 20, 0 },
        { "days_since(last_order) != 30", "regular", 20, 0 },
        { "days_since(last_order) < 30", "regular", 20, 0 },
        { "days_since(last_order) <= 30", "regular", 20, 1 },
        { "30 < days_since(last_order)", "regular", 20, 1 },
        { "30 >= days_since(last_order)", "regular", 20, 1 },
        { "days_since(last_order) in [30, 60]", "regular", 20, 0 },
        { "days_since(last_order) not in [12.5, 30]", "regular", 2.5, 0 },
        { "days_since(last_order) between 12 and 20", "regular", 2, 0 },
        // Far out, a tick is below the precision of the days: past 40,000 only 3 ticks after reaching it.
        { "days_since(last_order) > 40000", "regular", 39990, 3 },
        // ... against what holds still until its own step: a profile field (a numeric string), a window, the age.
        { "days_since(last_order) > profile.limit", "regular", 4, 1 },
        { "days_since(last_seen) > count(visit, 30d)", "regular", 1, 1 },
        { "days_since(last_order) between 3 and profile.limit", "regular", 4, 1 },
        { "profile.tags contains days_since(last_order)", "regular", 2, 0 },
        // ... under not, and, or.
        { "not (days_since(last_order) <= 30) and orders >= 1", "regular", 20, 1 },
        { "orders >= 5 or days_since(last_order) > 30", "regular", 20, 1 },
        // The age turns at midnight of the birthday, under every operator; it exists from the birth on.
        { "profile.age >= 36", "regular", 8.5, 0 },
        { "profile.age in [35]", "regular", 8.5, 0 },
        { "profile.age not in [36, 37]", "regular", 8.5, 0 },
        { "profile.age between 30 and 35", "regular", 8.5, 0 },
        { "profile.age != 35", "regular", 8.5, 0 },
        { "exists(profile.age)", "unborn", 0.5, 0 },
        { "profile.age == 0", "unborn", 0.5, 0 },
        { "profile.age >= 27", "leapling", 96.5, 0 },
        // The lifecycle: new for 30 days after the first order.
        { "lifecycle == \"new\"", "regular", 20, 1 },
        { "lifecycle in [\"active\", \"at_risk\"]", "regular", 20, 1 },
        { "lifecycle starts_with \"n\"", "regular", 20, 1 },
        // Inside a where: the filter itself turns with time (13,140.5 days since the birth now, past 13,150 two
        // ticks after reaching it).
        { "count(visit where profile.age >= 36, 30d) >= 1", "regular", 8.5, 0 },
        { "count(visit where days_since(profile.birth_date) > 13150, 30d) >= 1", "regular", 9.5, 2 },
        { "count(visit where count(order_completed, 15d) == 0, 30d) == 2", "regular", 5, 0 },
    };

    [Theory]
    [MemberData(nameof(Flips))]
    public void Stepping_from_deadline_to_deadline_reaches_the_instant_the_answer_changes(string text, string customer, double days, long ticks)
    {
        var rule = RuleCompiler.Compile(text);
        var state = Of(customer);
        var flip = Now.AddTicks((long)Math.Round(days * TimeSpan.TicksPerDay) + ticks);
        var before = rule.Evaluate(new CustomerFacts(state), Now);

        // The flip is real: the answer holds until the tick before it and has changed at it.
        Assert.Equal(before, rule.Evaluate(new CustomerFacts(state), flip.AddTicks(-1)));
        Assert.NotEqual(before, rule.Evaluate(new CustomerFacts(state), flip));

        var at = Now;
        for (var step = 0; step < 100; step++)
        {
            var next = rule.NextDeadline(new CustomerFacts(state), at);
            Assert.True(next is not null, $"no deadline after {at:O}; the answer changes at {flip:O}");
            Assert.True(next <= flip, $"the deadline {next:O} is past the change at {flip:O}");
            at = next.Value;
            if (rule.Evaluate(new CustomerFacts(state), at) != before)
            {
                Assert.Equal(flip, at);
                return;
            }
        }

        Assert.Fail($"100 deadlines did not reach the change at {flip:O}");
    }

    public static TheoryData<string> Constants => new()
    {
        // Both grow by a day a day.
        "days_since(last_order) > days_since(first_seen)",
        "days_since(last_order) exists",
        "days_since(last_order) == profile.note",
        "profile.tags contains days_since(profile.signup)",
        "orders >= 1 and last_order < \"2026-12-01T00:00:00Z\"",
    };

    [Theory]
    [MemberData(nameof(Constants))]
    public void A_rule_time_cannot_turn_announces_no_deadline(string text)
    {
        var rule = RuleCompiler.Compile(text);
        var state = Regular();
        var answer = rule.Evaluate(new CustomerFacts(state), Now);

        Assert.Null(rule.NextDeadline(new CustomerFacts(state), Now));
        foreach (var days in new[] { 0.5, 1, 2.5, 20, 365, 3650 })
        {
            Assert.Equal(answer, rule.Evaluate(new CustomerFacts(state), Now.AddDays(days)));
        }

        Assert.False(rule.Inputs.UnannouncedTime);
    }

    [Theory]
    [InlineData("count(visit where days_since(stamp) > 3, 7d) >= 1")]
    [InlineData("count(order_completed where days_since(profile.birth_date) > revenue, 7d) >= 1")]
    [InlineData("sum(order_completed.revenue where tags contains days_since(profile.birth_date), 7d) > 0")]
    public void A_days_since_against_the_filtered_event_is_the_one_turn_left_to_evaluating_every_pass(string text)
    {
        Assert.True(RuleCompiler.Compile(text).Inputs.UnannouncedTime);
    }

    private static CustomerState Of(string customer) => customer switch
    {
        "regular" => Regular(),
        "unborn" => Unborn(),
        "leapling" => Leapling(),
        "early" => Early(),
        _ => throw new ArgumentOutOfRangeException(nameof(customer), customer, null),
    };

    private static CustomerState Customer(params CustomerEvent[] events)
    {
        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }
}
