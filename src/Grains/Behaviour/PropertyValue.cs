using System.Collections.Immutable;
using System.Globalization;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>The kind of a <see cref="PropertyValue"/>.</summary>
public enum PropertyKind : byte
{
    Null = 0,
    Bool = 1,
    Number = 2,
    Text = 3,
    List = 4,
}

/// <summary>
/// One scalar (or list of strings) property of an event or a profile trait, as stored.
/// Deliberately small: nested objects are flattened or rejected at the edge.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.PropertyValue")]
public readonly record struct PropertyValue(
    [property: Id(0)] PropertyKind Kind,
    [property: Id(1)] double Number,
    [property: Id(2)] string? Text,
    [property: Id(3)] ImmutableArray<string> Items)
{
    public static readonly PropertyValue Null = default;

    public static PropertyValue Of(bool value) => new(PropertyKind.Bool, value ? 1 : 0, null, default);

    public static PropertyValue Of(double value) => new(PropertyKind.Number, value, null, default);

    public static PropertyValue Of(string value) => new(PropertyKind.Text, 0, value, default);

    public static PropertyValue Of(IEnumerable<string> values) => new(PropertyKind.List, 0, null, [.. values]);

    /// <summary>
    /// Whether this is the one shape <see cref="Of(bool)"/> and its siblings build: a bool as 0 or 1, a text with its
    /// text, a list with its array, nothing in a field its kind does not use, no kind but the five.
    /// </summary>
    /// <remarks>
    /// That shape is also the one the rule evaluator reads without converting it: <c>RuleValueKind</c> numbers these
    /// kinds as <see cref="PropertyKind"/> does, so a canonical value is a rule value field for field (see
    /// <c>CustomerFacts</c>). Values take it once, as they enter a customer's state, instead of on every read.
    /// </remarks>
    public bool IsCanonical() => Kind switch
    {
        PropertyKind.Null => Number == 0 && Text is null && Items.IsDefault,
        // Bit for bit: a −0 false would compare as false but is not what Of(false) builds.
        PropertyKind.Bool => BitConverter.DoubleToInt64Bits(Number) is 0 or 0x3FF0000000000000 && Text is null && Items.IsDefault,
        PropertyKind.Number => Text is null && Items.IsDefault,
        PropertyKind.Text => Number == 0 && Text is not null && Items.IsDefault,
        PropertyKind.List => Number == 0 && Text is null && !Items.IsDefault,
        _ => false,
    };

    /// <summary>
    /// This value in its canonical shape (<see cref="IsCanonical()"/>), read as rules have always read it: any non-zero
    /// bool is true, a text kind without text and an unknown kind are Null, a list without its array is empty.
    /// Only values that did not come from <see cref="Of(bool)"/> and its siblings (a damaged snapshot) change.
    /// </summary>
    public PropertyValue Canonical() => IsCanonical() ? this : Kind switch
    {
        PropertyKind.Bool => Of(Number != 0),
        PropertyKind.Number => Of(Number),
        PropertyKind.Text when Text is not null => Of(Text),
        PropertyKind.List => new(PropertyKind.List, 0, null, Items.IsDefault ? [] : Items),
        _ => Null,
    };

    public double? AsNumber() => Kind switch
    {
        PropertyKind.Number => Number,
        PropertyKind.Text when double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) => n,
        _ => null,
    };

    public string? AsText() => Kind switch
    {
        PropertyKind.Text => Text,
        PropertyKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        PropertyKind.Bool => Number != 0 ? "true" : "false",
        _ => null,
    };

    /// <summary>A plain CLR value for JSON output.</summary>
    public object? ToPlain() => Kind switch
    {
        PropertyKind.Bool => Number != 0,
        PropertyKind.Number => Number,
        PropertyKind.Text => Text,
        PropertyKind.List => Items.IsDefault ? Array.Empty<string>() : Items.ToArray(),
        _ => null,
    };
}
