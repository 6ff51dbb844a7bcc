using System.Collections.Immutable;
using CustomerGrains.Grains.Profiles;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// The checks of a store's data-quality report and the fields each is broken down by (README, "Data quality"):
/// <c>missing</c> key traits, <c>invalid</c> values received, <c>duplicates</c> not merged, <c>obsolete</c> customers and
/// <c>contradictions</c> between traits.
/// </summary>
public static class QualityChecks
{
    public const string Missing = "missing";
    public const string Invalid = "invalid";
    public const string Duplicates = "duplicates";
    public const string Obsolete = "obsolete";
    public const string Contradictions = "contradictions";

    /// <summary>The duplicate key of first name, last name and postal code.</summary>
    public const string Name = "name";

    /// <summary>A phone whose country calling code is not one of the profile's country.</summary>
    public const string PhoneCountry = "phoneCountry";

    /// <summary>A stated <c>age</c> trait more than a year away from the age the birth date gives.</summary>
    public const string Age = "age";

    public static readonly ImmutableArray<string> All = [Missing, Invalid, Duplicates, Obsolete, Contradictions];

    /// <summary>The normalised traits whose unreadable values the invalid check counts (the customer's raw values).</summary>
    public static readonly ImmutableArray<string> InvalidFields =
        [ProfileNormalisation.Email, ProfileNormalisation.Phone, ProfileNormalisation.Country, ProfileNormalisation.BirthDate];

    public static readonly ImmutableArray<string> DuplicateFields = [ProfileNormalisation.Email, ProfileNormalisation.Phone, Name];

    public static readonly ImmutableArray<string> ContradictionKinds = [PhoneCountry, Age];

    /// <summary>
    /// The traits a profile can be found missing: the README's known profile traits. A customer reports which it lacks
    /// as bits in this order, which is stored: append only, never reorder.
    /// </summary>
    public static readonly ImmutableArray<string> Traits =
    [
        "email", "phone", "firstName", "lastName", "birthDate", "gender", "country", "region", "city",
        "postalCode", "incomeBand", "occupation", "interests",
    ];

    /// <summary>The key traits of a store that has not chosen its own.</summary>
    public static readonly ImmutableArray<string> DefaultKeyTraits = ["email", "firstName", "lastName", "country"];

    /// <summary>The fields <paramref name="check"/> can be filtered by; the missing check's are the store's key traits.</summary>
    public static ImmutableArray<string> FieldsOf(string check, ImmutableArray<string> keyTraits) => check switch
    {
        Missing => keyTraits,
        Invalid => InvalidFields,
        Duplicates => DuplicateFields,
        Contradictions => ContradictionKinds,
        _ => [],
    };

    /// <summary>The bit of a trait of <see cref="Traits"/> in a customer's missing traits; 0 for any other trait.</summary>
    public static int Bit(string trait) => Traits.IndexOf(trait) is >= 0 and var i ? 1 << i : 0;

    /// <summary>The bits of <paramref name="traits"/>.</summary>
    public static int Mask(IEnumerable<string> traits) => traits.Aggregate(0, (mask, t) => mask | Bit(t));

    /// <summary>Why a list of key traits cannot stand, or null: known traits only, each once.</summary>
    public static string? KeyTraitsProblem(IReadOnlyList<string> traits)
    {
        if (traits.FirstOrDefault(t => !Traits.Contains(t)) is { } unknown)
        {
            return $"'{unknown}' is not a known profile trait; key traits are chosen from {string.Join(", ", Traits)}";
        }

        return traits.Distinct(StringComparer.Ordinal).Count() != traits.Count ? "a key trait is listed twice" : null;
    }
}
