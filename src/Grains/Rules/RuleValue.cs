using System.Collections.Immutable;
using System.Globalization;

namespace CustomerGrains.Grains.Rules;

/// <summary>The kind of a <see cref="RuleValue"/>.</summary>
/// <remarks>
/// The kinds a stored property can have carry the numbers <c>PropertyKind</c> gives them, so that a stored value is read
/// as a rule value by casting its kind, not by mapping it. Rule values are never stored (rules are kept as their text),
/// so these numbers may move; <c>PropertyKind</c>'s may not.
/// </remarks>
public enum RuleValueKind : byte
{
    Null = 0,
    Bool = 1,
    Number = 2,
    String = 3,
    List = 4,
    Time = 5,
}

/// <summary>A value a rule reads or compares.</summary>
public readonly record struct RuleValue(RuleValueKind Kind, double Number, string? Text, DateTimeOffset Time, ImmutableArray<string> Items)
{
    public static RuleValue Null => default;

    public bool IsNull => Kind == RuleValueKind.Null;

    public static RuleValue Of(bool value) => new(RuleValueKind.Bool, value ? 1 : 0, null, default, default);

    public static RuleValue Of(double value) => new(RuleValueKind.Number, value, null, default, default);

    public static RuleValue Of(string? value) => value is null ? Null : new(RuleValueKind.String, 0, value, default, default);

    public static RuleValue Of(DateTimeOffset? value) => value is { } t ? new(RuleValueKind.Time, 0, null, t, default) : Null;

    public static RuleValue Of(IEnumerable<string> values) => new(RuleValueKind.List, 0, null, default, [.. values]);

    public override string ToString() => Kind switch
    {
        RuleValueKind.Bool => Number != 0 ? "true" : "false",
        RuleValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        RuleValueKind.String => Text!,
        RuleValueKind.Time => Time.ToString("O", CultureInfo.InvariantCulture),
        RuleValueKind.List => $"[{string.Join(", ", Items)}]",
        _ => "null",
    };
}
