using System.Globalization;

namespace CustomerGrains.Grains.Rules;

/// <summary>
/// Comparison semantics. Null compares false with everything except <c>!=</c>; numbers and numeric strings
/// compare numerically; strings ordinally; times as instants; other mixes are unequal.
/// </summary>
public static class RuleValues
{
    public static bool Compare(RuleValue left, string op, RuleValue right) => Compare(in left, Operator(op), in right);

    /// <summary>The operator written as <paramref name="op"/>; <see cref="CompareOp.None"/> for anything else.</summary>
    internal static CompareOp Operator(string op) => op switch
    {
        "==" => CompareOp.Equal,
        "!=" => CompareOp.NotEqual,
        "<" => CompareOp.Less,
        "<=" => CompareOp.LessOrEqual,
        ">" => CompareOp.Greater,
        ">=" => CompareOp.GreaterOrEqual,
        _ => CompareOp.None,
    };

    // Compiled rules call this for every comparison of every segment of every touched customer: the operator
    // comes resolved, and the values (a few dozen bytes each) by reference.
    internal static bool Compare(in RuleValue left, CompareOp op, in RuleValue right)
    {
        if (left.IsNull || right.IsNull)
        {
            return op == CompareOp.NotEqual && !(left.IsNull && right.IsNull);
        }

        var order = Order(in left, in right);
        return op switch
        {
            CompareOp.Equal => order == 0,
            CompareOp.NotEqual => order != 0,
            CompareOp.Less => order is < 0 and not int.MinValue,
            CompareOp.LessOrEqual => order is <= 0 and not int.MinValue,
            CompareOp.Greater => order is > 0 and not int.MaxValue,
            CompareOp.GreaterOrEqual => order is >= 0 and not int.MaxValue,
            _ => false,
        };
    }

    /// <summary>Equality, or overlap when the value is a list (<c>profile.interests in ["a", "b"]</c>).</summary>
    public static bool Matches(RuleValue value, RuleValue item)
    {
        if (value.Kind != RuleValueKind.List)
        {
            return Compare(in value, CompareOp.Equal, in item);
        }

        if (value.Items.IsDefault)
        {
            return false;
        }

        foreach (var v in value.Items)
        {
            if (Compare(RuleValue.Of(v), CompareOp.Equal, in item))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Contains(RuleValue container, RuleValue needle) => container.Kind switch
    {
        RuleValueKind.List when !needle.IsNull => !container.Items.IsDefault && container.Items.Contains(needle.ToString(), StringComparer.Ordinal),
        RuleValueKind.String when needle.Kind == RuleValueKind.String => container.Text!.Contains(needle.Text!, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Negative, zero or positive; <see cref="int.MinValue"/>/<see cref="int.MaxValue"/> mean "not comparable".</summary>
    private static int Order(in RuleValue a, in RuleValue b)
    {
        if (a.Kind == RuleValueKind.Number && b.Kind == RuleValueKind.Number)
        {
            return a.Number.CompareTo(b.Number);
        }

        // The kinds first: two strings never compare as numbers, and parsing them to find out is the cost of
        // every `profile.country == "DE"` and `lifecycle == "active"`.
        if ((a.Kind == RuleValueKind.Number || b.Kind == RuleValueKind.Number) && AsNumber(a) is { } x && AsNumber(b) is { } y)
        {
            return x.CompareTo(y);
        }

        return (a.Kind, b.Kind) switch
        {
            (RuleValueKind.String, RuleValueKind.String) => Math.Sign(string.CompareOrdinal(a.Text, b.Text)),
            (RuleValueKind.Time, RuleValueKind.Time) => a.Time.CompareTo(b.Time),
            (RuleValueKind.Bool, RuleValueKind.Bool) => a.Number.CompareTo(b.Number),
            _ => Unordered(in a, in b),
        };
    }

    private static int Unordered(in RuleValue a, in RuleValue b) => a.ToString() == b.ToString() ? 0 : int.MinValue;

    /// <summary>A number, or a string that reads as one: what compares numerically with a number.</summary>
    internal static double? AsNumber(in RuleValue v) => v.Kind switch
    {
        RuleValueKind.Number => v.Number,
        RuleValueKind.String when double.TryParse(v.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };
}
