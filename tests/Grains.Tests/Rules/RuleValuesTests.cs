using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>Comparison semantics, kind by kind: what compiled rules rely on whatever path a comparison takes.</summary>
public sealed class RuleValuesTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, RuleValue, string, RuleValue, bool> Comparisons => new()
    {
        { "numbers", RuleValue.Of(3), ">=", RuleValue.Of(2), true },
        { "numbers", RuleValue.Of(2), "<", RuleValue.Of(2), false },
        { "numbers", RuleValue.Of(2), "<=", RuleValue.Of(2), true },
        { "numbers", RuleValue.Of(2), "!=", RuleValue.Of(2.5), true },
        // A numeric string compares numerically with a number…
        { "number and numeric string", RuleValue.Of(10), ">", RuleValue.Of("9"), true },
        { "numeric string and number", RuleValue.Of("10"), "==", RuleValue.Of(10), true },
        // …but two strings compare ordinally, numeric or not.
        { "numeric strings", RuleValue.Of("10"), ">", RuleValue.Of("9"), false },
        { "strings", RuleValue.Of("active"), "==", RuleValue.Of("active"), true },
        { "strings", RuleValue.Of("at_risk"), "<", RuleValue.Of("new"), true },
        // A number and text that is no number are unequal and unordered.
        { "number and text", RuleValue.Of(1), "==", RuleValue.Of("one"), false },
        { "number and text", RuleValue.Of(1), "!=", RuleValue.Of("one"), true },
        { "number and text", RuleValue.Of(1), "<", RuleValue.Of("one"), false },
        { "number and text", RuleValue.Of(1), ">", RuleValue.Of("one"), false },
        { "times", RuleValue.Of(Noon), "<", RuleValue.Of(Noon.AddTicks(1)), true },
        { "booleans", RuleValue.Of(true), "==", RuleValue.Of(true), true },
        { "boolean and number", RuleValue.Of(true), "==", RuleValue.Of(1), false },
        // Null compares false with everything except !=.
        { "null", RuleValue.Null, "==", RuleValue.Of(0), false },
        { "null", RuleValue.Null, "!=", RuleValue.Of(0), true },
        { "nulls", RuleValue.Null, "!=", RuleValue.Null, false },
        { "unknown operator", RuleValue.Of(1), "=~", RuleValue.Of(1), false },
    };

    [Theory]
    [MemberData(nameof(Comparisons))]
    public void Values_compare_as_the_rule_language_says(string kinds, RuleValue left, string op, RuleValue right, bool expected)
    {
        Assert.True(expected == RuleValues.Compare(left, op, right), $"{kinds}: {left} {op} {right}");
    }

    [Theory]
    [InlineData("running", true)]
    [InlineData("golf", false)]
    public void A_list_matches_an_item_it_holds(string item, bool expected)
    {
        Assert.Equal(expected, RuleValues.Matches(RuleValue.Of(["yoga", "running"]), RuleValue.Of(item)));
    }
}
