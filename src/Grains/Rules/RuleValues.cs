using System.Globalization;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// Comparison semantics. Null compares false with everything except <c>!=</c>; numbers and numeric strings
/// compare numerically; strings ordinally; times as instants; other mixes are unequal.
/// </summary>
public static class RuleValues
{
    public static bool Compare(RuleValue left, string op, RuleValue right)
    {
        if (left.IsNull || right.IsNull)
        {
            return op == "!=" && !(left.IsNull && right.IsNull);
        }

        var order = Order(left, right);
        return op switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order is < 0 and not int.MinValue,
            "<=" => order is <= 0 and not int.MinValue,
            ">" => order is > 0 and not int.MaxValue,
            ">=" => order is >= 0 and not int.MaxValue,
            _ => false,
        };
    }

    /// <summary>Equality, or overlap when the value is a list (<c>profile.interests in ["a", "b"]</c>).</summary>
    public static bool Matches(RuleValue value, RuleValue item) =>
        value.Kind == RuleValueKind.List
            ? !value.Items.IsDefault && value.Items.Any(v => Compare(RuleValue.Of(v), "==", item))
            : Compare(value, "==", item);

    public static bool Contains(RuleValue container, RuleValue needle) => container.Kind switch
    {
        RuleValueKind.List when !needle.IsNull => !container.Items.IsDefault && container.Items.Contains(needle.ToString(), StringComparer.Ordinal),
        RuleValueKind.String when needle.Kind == RuleValueKind.String => container.Text!.Contains(needle.Text!, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Negative, zero or positive; <see cref="int.MinValue"/>/<see cref="int.MaxValue"/> mean "not comparable".</summary>
    private static int Order(RuleValue a, RuleValue b)
    {
        if (AsNumber(a) is { } x && AsNumber(b) is { } y && (a.Kind == RuleValueKind.Number || b.Kind == RuleValueKind.Number))
        {
            return x.CompareTo(y);
        }

        return (a.Kind, b.Kind) switch
        {
            (RuleValueKind.String, RuleValueKind.String) => Math.Sign(string.CompareOrdinal(a.Text, b.Text)),
            (RuleValueKind.Time, RuleValueKind.Time) => a.Time.CompareTo(b.Time),
            (RuleValueKind.Bool, RuleValueKind.Bool) => a.Number.CompareTo(b.Number),
            _ => Unordered(a, b),
        };
    }

    private static int Unordered(RuleValue a, RuleValue b) => a.ToString() == b.ToString() ? 0 : int.MinValue;

    private static double? AsNumber(RuleValue v) => v.Kind switch
    {
        RuleValueKind.Number => v.Number,
        RuleValueKind.String when double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };
}
