using System.Collections.Immutable;

namespace CustomerGrains.Grains.Rules;

/// <summary>A value a rule read for a customer, as an explanation shows it; a missing value is no <see cref="ExplainedValue"/> at all.</summary>
[GenerateSerializer, Immutable, Alias("cg.ExplainedValue")]
public sealed record ExplainedValue(
    [property: Id(0)] ExplainedValueKind Kind,
    [property: Id(1)] double Number = 0,
    [property: Id(2)] string? Text = null,
    [property: Id(3)] ImmutableArray<string> Items = default,
    [property: Id(4)] DateTimeOffset Time = default)
{
    /// <summary>The value as the evaluator read it; null when it is missing (what compares false except with <c>!=</c>).</summary>
    public static ExplainedValue? Of(RuleValue value) => value.Kind switch
    {
        RuleValueKind.Bool => new(ExplainedValueKind.Bool, Number: value.Number != 0 ? 1 : 0),
        RuleValueKind.Number => new(ExplainedValueKind.Number, Number: value.Number),
        RuleValueKind.String => new(ExplainedValueKind.Text, Text: value.Text),
        // An empty list is still a list (exists() is false for it): shown as [], not as missing.
        RuleValueKind.List => new(ExplainedValueKind.List, Items: value.Items.IsDefault ? [] : value.Items),
        RuleValueKind.Time => new(ExplainedValueKind.Time, Time: value.Time),
        _ => null,
    };
}
