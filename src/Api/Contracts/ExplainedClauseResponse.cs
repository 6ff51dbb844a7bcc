using System.Text.Json.Serialization;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Api.Contracts;

/// <summary>
/// One clause of an explained rule: its text, the customer's value it tests (a number, string, bool, list or time; null
/// when the customer has none, and for <c>and</c>, <c>or</c>, <c>not</c> and <c>in_segment</c>), whether it holds, and
/// for <c>and</c>, <c>or</c> and <c>not</c> the clauses under it.
/// </summary>
public sealed record ExplainedClauseResponse(
    string Clause,
    object? Value,
    bool Result,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ExplainedClauseResponse>? Children)
{
    public static ExplainedClauseResponse From(ExplainedClause clause) => new(
        clause.Clause,
        Plain(clause.Value),
        clause.Result,
        clause.Children.IsDefaultOrEmpty ? null : [.. clause.Children.Select(From)]);

    private static object? Plain(ExplainedValue? value) => value?.Kind switch
    {
        ExplainedValueKind.Bool => value.Number != 0,
        // JSON has no infinity: a sum past the largest double is shown as no value rather than failing the answer.
        ExplainedValueKind.Number => double.IsFinite(value.Number) ? value.Number : null,
        ExplainedValueKind.Text => value.Text,
        ExplainedValueKind.List => value.Items.IsDefault ? Array.Empty<string>() : value.Items.ToArray(),
        ExplainedValueKind.Time => value.Time,
        _ => null,
    };
}
