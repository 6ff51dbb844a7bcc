using System.Collections.Immutable;

namespace CustomerGrains.Grains.Classification;

/// <summary>
/// A store's matching traits: a customer that takes a normalised value of one of them (<c>email</c>, <c>phone</c> in
/// E.164) that another customer of the store already holds is merged into that one. Kept with the store's other settings
/// and carried to customers with its thresholds (<see cref="PopulationThresholds.Identity"/>), like retention.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.IdentitySettings")]
public sealed record IdentitySettings([property: Id(0)] ImmutableArray<string> MatchTraits)
{
    public const string Email = "email";
    public const string Phone = "phone";

    /// <summary>The traits a store may match on.</summary>
    public static readonly ImmutableArray<string> Matchable = [Email, Phone];

    /// <summary>A store that never set its own: the normalised e-mail merges.</summary>
    public static readonly IdentitySettings Default = new([Email]);

    public bool Matches(string trait) => !MatchTraits.IsDefault && MatchTraits.Contains(trait);

    /// <summary>Why these settings cannot stand, or null.</summary>
    public string? Problem() =>
        MatchTraits.IsDefault ? "matchTraits is required (a list of traits, possibly empty)"
        : MatchTraits.FirstOrDefault(t => !Matchable.Contains(t)) is { } unknown ? $"'{unknown}' cannot be matched: use {string.Join(" or ", Matchable)}"
        : MatchTraits.Distinct(StringComparer.Ordinal).Count() != MatchTraits.Length ? "a trait is named twice"
        : null;
}
