using System.Collections.Immutable;
using System.Globalization;

namespace CustomerGrains.Grains.Rules;

public enum RuleValueKind : byte
{
    Null = 0,
    Bool = 1,
    Number = 2,
    String = 3,
    Time = 4,
    List = 5,
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
