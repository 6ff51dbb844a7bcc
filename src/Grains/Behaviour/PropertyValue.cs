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
