using System.Collections.Immutable;
using System.Globalization;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Profiles;
using CustomerGrains.Grains.Quality;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Merging by a matching trait, decided (pure): the normalised values a customer holds of the store's matching traits
/// (<see cref="IdentitySettings"/>; a blocked value such as <c>test@test.com</c> never matches), and the claims that change
/// when they do. A key is the hash the quality report's duplicate keys use (<see cref="QualityFacts.Key"/>), so one person's
/// e-mail is one key in both, and no table holds the value itself.
/// </summary>
public static class TraitMatching
{
    /// <summary>What a customer holds of the matching traits, in <see cref="IdentitySettings.Matchable"/> order (null: nothing).</summary>
    public readonly record struct Held(string? Email, string? Phone);

    public static Held Of(CustomerState state, IdentitySettings settings, IdentityOptions limits) =>
        settings.MatchTraits.IsDefaultOrEmpty
            ? default
            : new Held(
                settings.Matches(IdentitySettings.Email) ? Value(state, ProfileNormalisation.Email, limits)?.ToLowerInvariant() : null,
                settings.Matches(IdentitySettings.Phone) ? Value(state, ProfileNormalisation.Phone, limits) : null);

    /// <summary>The claims to let go and to make when what a customer holds goes from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static ImmutableArray<IdentityKeyRow> Changes(Held before, Held after)
    {
        if (before == after)
        {
            return [];
        }

        var rows = ImmutableArray.CreateBuilder<IdentityKeyRow>();
        Change(rows, ProfileNormalisation.Email, before.Email, after.Email);
        Change(rows, ProfileNormalisation.Phone, before.Phone, after.Phone);
        return rows.DrainToImmutable();
    }

    /// <summary>The stored key of a normalised value of <paramref name="field"/>.</summary>
    public static string Key(string field, string normalised) => QualityFacts.Key(field, normalised).Hash.ToString("x32", CultureInfo.InvariantCulture);

    private static void Change(ImmutableArray<IdentityKeyRow>.Builder rows, string field, string? before, string? after)
    {
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return;
        }

        if (before is not null)
        {
            rows.Add(new IdentityKeyRow(field, Key(field, before), Held: false));
        }

        if (after is not null)
        {
            rows.Add(new IdentityKeyRow(field, Key(field, after), Held: true));
        }
    }

    private static string? Value(CustomerState state, string trait, IdentityOptions limits) =>
        state.Profile.TryGetValue(trait, out var field) && field.Value is { Kind: PropertyKind.Text, Text: { } text }
        && !string.IsNullOrWhiteSpace(text) && !limits.IsBlocked(text)
            ? text.Trim()
            : null;
}
