using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Profiles;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// One customer's part of the data-quality report, from its state alone (pure; not from the clock: how long it has been
/// inactive is the report's business at the time it is read, from <see cref="CustomerQuality.LastActivity"/>).
/// <list type="bullet">
/// <item>Missing: a known trait that is absent, null, blank text or an empty list.</item>
/// <item>Invalid: the raw values the customer holds (<see cref="CustomerState.RawValues"/>): the last value received for a
/// normalised trait could not be read; the reason, never the value.</item>
/// <item>Contradictions: <see cref="QualityChecks.PhoneCountry"/>, a phone whose country calling code no country of the
/// profile's <c>country</c> uses (+34 with FR; +1 with CA is none, as North America shares +1; a non-geographic code such as
/// +800 none);
/// <see cref="QualityChecks.Age"/>, a stated <c>age</c> trait (not a known trait, but stores send it) more than a year
/// away from the age <c>birthDate</c> gives on the day the age was stated — rules read <c>profile.age</c> from the birth
/// date, so a store that segments by age reads a number it did not send.</item>
/// <item>Duplicate keys: the e-mail and the phone as stored (normalised at ingest), and first name + last name + postal code,
/// each trimmed and lower-cased (inner spaces of names as one, none in the postal code); hashed (SHA-256, 128 bits).</item>
/// </list>
/// </summary>
public static class QualityFacts
{
    /// <summary>The customer's facts; null when it does not exist (never had an event, or was removed).</summary>
    public static CustomerQuality? Of(CustomerState state)
    {
        if (!state.Exists)
        {
            return null;
        }

        var profile = state.Profile;
        var missing = 0;
        for (var i = 0; i < QualityChecks.Traits.Length; i++)
        {
            if (!Has(profile, QualityChecks.Traits[i]))
            {
                missing |= 1 << i;
            }
        }

        ImmutableArray<InvalidField> invalid = state.RawValues is { Count: > 0 } raw
            ? [.. raw.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new InvalidField(r.Key, r.Value.Reason))]
            : [];
        var contradictions = ImmutableArray.CreateBuilder<Contradiction>(0);
        if (PhoneCountry(profile) is { } phoneCountry)
        {
            contradictions.Add(phoneCountry);
        }

        if (Age(profile) is { } age)
        {
            contradictions.Add(age);
        }

        return new CustomerQuality(missing, invalid, contradictions.DrainToImmutable(), Keys(profile), state.LastSeen);
    }

    /// <summary>The duplicate keys of a profile, in <see cref="QualityChecks.DuplicateFields"/> order.</summary>
    public static ImmutableArray<DuplicateKey> Keys(IReadOnlyDictionary<string, ProfileField> profile)
    {
        var keys = ImmutableArray.CreateBuilder<DuplicateKey>(0);
        if (Text(profile, ProfileNormalisation.Email) is { } email)
        {
            keys.Add(Key(ProfileNormalisation.Email, email.ToLowerInvariant()));
        }

        if (Text(profile, ProfileNormalisation.Phone) is { } phone)
        {
            keys.Add(Key(ProfileNormalisation.Phone, phone));
        }

        if (Text(profile, "firstName") is { } first && Text(profile, "lastName") is { } last && Text(profile, "postalCode") is { } postal)
        {
            keys.Add(Key(QualityChecks.Name, $"{Words(first)}\u001f{Words(last)}\u001f{string.Concat(postal.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant()}"));
        }

        return keys.DrainToImmutable();
    }

    /// <summary>The key of a normalised value: the field is hashed with it, so two fields' keys never meet.</summary>
    public static DuplicateKey Key(string field, string normalised)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{field}\n{normalised}"), hash);
        return new DuplicateKey(field, BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
    }

    private static Contradiction? PhoneCountry(IReadOnlyDictionary<string, ProfileField> profile)
    {
        if (Text(profile, ProfileNormalisation.Phone) is not { } phone || Text(profile, ProfileNormalisation.Country) is not { } country
            || Phones.CallingCode(phone) is not { } calling || calling.Countries.Count == 0 || calling.Countries.Contains(country))
        {
            return null;
        }

        var uses = calling.Countries.Count <= 3 ? string.Join(", ", calling.Countries) : $"{string.Join(", ", calling.Countries.Take(3))}, …";
        return new Contradiction(QualityChecks.PhoneCountry, $"the phone's calling code +{calling.Code} is {uses}; the country is {country}");
    }

    private static Contradiction? Age(IReadOnlyDictionary<string, ProfileField> profile)
    {
        if (!profile.TryGetValue("age", out var stated) || stated.Value.AsNumber() is not { } age
            || Text(profile, ProfileNormalisation.BirthDate) is not { } text
            || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            return null;
        }

        // As rules count it (Evaluation/CustomerFacts.cs, Age), on the day the age was stated: a stated age does not grow.
        var on = DateOnly.FromDateTime(stated.SetAt.UtcDateTime);
        var years = on.Year - birth.Year - (on.Month < birth.Month || (on.Month == birth.Month && on.Day < birth.Day) ? 1 : 0);
        return Math.Abs(age - years) > 1
            ? new Contradiction(QualityChecks.Age, string.Create(CultureInfo.InvariantCulture, $"age {age} stated on {on:yyyy-MM-dd}; the birth date makes {years} then"))
            : null;
    }

    private static bool Has(IReadOnlyDictionary<string, ProfileField> profile, string trait) =>
        profile.TryGetValue(trait, out var field) && field.Value.Kind switch
        {
            PropertyKind.Null => false,
            PropertyKind.Text => !string.IsNullOrWhiteSpace(field.Value.Text),
            PropertyKind.List => !field.Value.Items.IsDefaultOrEmpty,
            _ => true,
        };

    private static string? Text(IReadOnlyDictionary<string, ProfileField> profile, string trait) =>
        profile.TryGetValue(trait, out var field) && field.Value is { Kind: PropertyKind.Text, Text: { } text } && !string.IsNullOrWhiteSpace(text)
            ? text.Trim()
            : null;

    private static string Words(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
