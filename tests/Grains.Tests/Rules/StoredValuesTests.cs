using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;
using static CustomerGrains.Grains.Tests.Infrastructure.TestSerialization;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>
/// A customer's stored properties (<see cref="PropertyValue"/>) as compiled rules read them (<see cref="RuleValue"/>):
/// read as they are stored, no longer converted kind by kind on every read, and still comparing exactly as the value
/// that conversion gave, which is the one <see cref="RuleValue.Of(string)"/> and its siblings build.
/// </summary>
public sealed class StoredValuesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    // Stored as, read as before (the conversion was RuleValue.Of of the stored kind; a missing property is Null).
    public static TheoryData<string, PropertyValue?, RuleValue> Kinds => new()
    {
        { "text", PropertyValue.Of("ES"), RuleValue.Of("ES") },
        { "numeric text", PropertyValue.Of("10"), RuleValue.Of("10") },
        { "empty text", PropertyValue.Of(""), RuleValue.Of("") },
        { "number", PropertyValue.Of(10), RuleValue.Of(10) },
        { "fraction", PropertyValue.Of(9.5), RuleValue.Of(9.5) },
        { "negative zero", PropertyValue.Of(-0.0), RuleValue.Of(-0.0) },
        { "true", PropertyValue.Of(true), RuleValue.Of(true) },
        { "false", PropertyValue.Of(false), RuleValue.Of(false) },
        { "list of strings", PropertyValue.Of(["yoga", "running"]), RuleValue.Of(["yoga", "running"]) },
        { "list of one numeric string", PropertyValue.Of(["10"]), RuleValue.Of(["10"]) },
        { "empty list", PropertyValue.Of([]), RuleValue.Of([]) },
        { "missing", null, RuleValue.Null },
    };

    // What a snapshot damaged or written by hand could hold, none of it built by PropertyValue.Of, and how it was read.
    public static TheoryData<string, PropertyValue, RuleValue> Odd => new()
    {
        { "a bool of 2", new(PropertyKind.Bool, 2, null, default), RuleValue.Of(true) },
        { "a bool of NaN", new(PropertyKind.Bool, double.NaN, null, default), RuleValue.Of(true) },
        { "a text without its text", new(PropertyKind.Text, 0, null, default), RuleValue.Null },
        { "a list without its array", new(PropertyKind.List, 0, null, default), RuleValue.Of([]) },
        { "a number with a stray text", new(PropertyKind.Number, 3, "three", default), RuleValue.Of(3) },
        { "a null with a number", new(PropertyKind.Null, 5, null, default), RuleValue.Null },
        { "an unknown kind", new((PropertyKind)9, 1, "x", ["y"]), RuleValue.Null },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_profile_field_compares_exactly_as_the_value_it_was_converted_to(string kind, PropertyValue? stored, RuleValue before)
    {
        var state = Customer(Make("i1", "c", EventTypes.Identify, Now.AddHours(-1), Stored(stored)));

        var read = new CustomerFacts(state).Profile("pref", Now);

        Assert.Equal(Outcomes(before), Outcomes(read));
        Assert.True(before.Kind == read.Kind, kind);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_event_property_compares_in_a_where_filter_exactly_as_the_value_it_was_converted_to(string kind, PropertyValue? stored, RuleValue before)
    {
        var state = Customer(Make("e1", "c", EventTypes.ProductViewed, Now.AddHours(-1), Stored(stored)));
        var read = RuleValue.Of("not read");

        var count = new CustomerFacts(state).Count(EventTypes.ProductViewed, TimeSpan.FromDays(1), Now, e =>
        {
            read = e.Property("pref");
            return true;
        });

        Assert.Equal(1, count);
        Assert.Equal(Outcomes(before), Outcomes(read));
        Assert.True(before.Kind == read.Kind, kind);
    }

    [Theory]
    [MemberData(nameof(Odd))]
    public void A_damaged_profile_field_loaded_from_a_snapshot_reads_as_it_always_did(string what, PropertyValue stored, RuleValue before)
    {
        var state = Customer(Identify("i1", "c", Now.AddHours(-1), ("pref", "placeholder")));
        state.Profile["pref"] = state.Profile["pref"] with { Value = stored };

        var loaded = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(state))!;
        var read = new CustomerFacts(loaded).Profile("pref", Now);

        Assert.Equal(Outcomes(before), Outcomes(read));
        Assert.True(before.Kind == read.Kind, what);
    }

    [Theory]
    [MemberData(nameof(Odd))]
    public void A_damaged_event_property_reads_as_it_always_did(string what, PropertyValue stored, RuleValue before)
    {
        var state = Customer(Make("e1", "c", EventTypes.ProductViewed, Now.AddHours(-1), ("pref", stored)));
        var read = RuleValue.Of("not read");

        new CustomerFacts(state).Count(EventTypes.ProductViewed, TimeSpan.FromDays(1), Now, e =>
        {
            read = e.Property("pref");
            return true;
        });

        Assert.Equal(Outcomes(before), Outcomes(read));
        Assert.True(before.Kind == read.Kind, what);
    }

    // A stored value is read by casting its kind: the two enums must keep numbering the shared kinds alike.
    [Theory]
    [InlineData(PropertyKind.Null, RuleValueKind.Null)]
    [InlineData(PropertyKind.Bool, RuleValueKind.Bool)]
    [InlineData(PropertyKind.Number, RuleValueKind.Number)]
    [InlineData(PropertyKind.Text, RuleValueKind.String)]
    [InlineData(PropertyKind.List, RuleValueKind.List)]
    public void A_stored_kind_is_read_as_the_rule_kind_of_the_same_meaning(PropertyKind stored, RuleValueKind read)
    {
        Assert.Equal((byte)read, (byte)stored);
    }

    [Fact]
    public void Reading_a_stored_list_allocates_nothing()
    {
        var state = Customer(Make("i1", "c", EventTypes.Identify, Now.AddHours(-1), ("interests", PropertyValue.Of(["yoga", "running"]))));
        var facts = new CustomerFacts(state);
        var items = 0;
        items += facts.Profile("interests", Now).Items.Length;

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            items += facts.Profile("interests", Now).Items.Length;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
        Assert.Equal(2 * 1_001, items);
    }

    private static (string Name, PropertyValue Value)[] Stored(PropertyValue? value) => value is { } v ? [("pref", v)] : [];

    private static CustomerState Customer(CustomerEvent e)
    {
        var state = new CustomerState();
        CustomerBehaviour.Apply(state, e);
        return state;
    }

    /// <summary>Everything a rule can learn of a value: how it compares both ways with every operator, matches, contains and prints.</summary>
    private static List<string> Outcomes(RuleValue value)
    {
        RuleValue[] probes =
        [
            RuleValue.Null, RuleValue.Of(0), RuleValue.Of(-0.0), RuleValue.Of(1), RuleValue.Of(3), RuleValue.Of(9.5), RuleValue.Of(10),
            RuleValue.Of(""), RuleValue.Of("10"), RuleValue.Of("ES"), RuleValue.Of("yoga"), RuleValue.Of("true"), RuleValue.Of("null"),
            RuleValue.Of("[yoga, running]"), RuleValue.Of("[]"), RuleValue.Of(true), RuleValue.Of(false), RuleValue.Of(Now),
            RuleValue.Of(["yoga", "running"]), RuleValue.Of(["10"]), RuleValue.Of([]),
        ];
        string[] operators = ["==", "!=", "<", "<=", ">", ">="];
        var outcomes = new List<string>
        {
            $"prints {value}",
            $"null {value.IsNull}",
            $"exists {!value.IsNull && !(value.Kind == RuleValueKind.List && value.Items.IsDefaultOrEmpty)}",
            $"truthy {value is { Kind: RuleValueKind.Bool, Number: not 0 }}",
        };
        foreach (var probe in probes)
        {
            foreach (var op in operators)
            {
                outcomes.Add($"{op} {probe}: {RuleValues.Compare(value, op, probe)} / {RuleValues.Compare(probe, op, value)}");
            }

            outcomes.Add($"matches {probe}: {RuleValues.Matches(value, probe)} / {RuleValues.Matches(probe, value)}");
            outcomes.Add($"contains {probe}: {RuleValues.Contains(value, probe)} / {RuleValues.Contains(probe, value)}");
        }

        return outcomes;
    }
}
