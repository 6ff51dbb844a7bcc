namespace CustomerGrains.Grains.Profiles;

/// <summary>
/// The profile traits that have one normalised form, and how a value as sent reads: <c>email</c> trimmed and
/// lower-cased (<see cref="EmailAddresses"/>), <c>country</c> as ISO 3166-1 alpha-2 from a code or a name
/// (<see cref="Countries"/>), <c>phone</c> in E.164 (<see cref="Phones"/>), <c>birthDate</c> a plausible
/// <c>yyyy-MM-dd</c> (<see cref="BirthDates"/>). Pure: the same value, event time and region read the same anywhere.
/// </summary>
public static class ProfileNormalisation
{
    public const string Email = "email";
    public const string Country = "country";
    public const string Phone = "phone";
    public const string BirthDate = "birthDate";

    /// <summary>Why a value of a normalised trait that is no text (a number, a list) is kept raw.</summary>
    public const string NotText = "must be text";

    public static bool Normalises(string trait) => trait is Email or Country or Phone or BirthDate;

    /// <summary>
    /// <paramref name="text"/> sent for <paramref name="trait"/> (one that <see cref="Normalises"/>) by an event at
    /// <paramref name="at"/>; <paramref name="phoneRegion"/> is where a phone without a country code is read, if anywhere.
    /// </summary>
    public static TraitReading Read(string trait, string text, DateTimeOffset at, string? phoneRegion) => trait switch
    {
        Email => EmailAddresses.Read(text),
        Country => Countries.Find(text) is { } code ? TraitReading.Read(code) : TraitReading.Unreadable("not an ISO 3166-1 country code or name"),
        Phone => Phones.Read(text, phoneRegion),
        BirthDate => BirthDates.Read(text, at),
        _ => throw new ArgumentOutOfRangeException(nameof(trait), trait, "not a normalised trait"),
    };
}
