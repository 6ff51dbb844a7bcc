using PhoneNumbers;

namespace CustomerGrains.Grains.Profiles;

/// <summary>
/// Phone numbers in E.164 (<c>+34612345678</c>) through libphonenumber, Google's numbering-plan metadata: a number
/// with its country code (<c>+34 612 34 56 78</c>) reads alone; one without it (<c>612 34 56 78</c>, <c>0034…</c>)
/// reads in a region, else it cannot be read. A number is kept only if it is valid in its country's plan, not merely
/// of a possible length; an extension is not part of E.164 and is dropped.
/// </summary>
public static class Phones
{
    /// <summary>libphonenumber's name for "no region": only numbers with a country code parse.</summary>
    private const string NoRegion = "ZZ";

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Whether <paramref name="region"/> (ISO 3166-1 alpha-2, upper case) has a numbering plan to read numbers in.</summary>
    public static bool HasPlan(string region) => Util.GetSupportedRegions().Contains(region);

    /// <summary>
    /// The country calling code of a number in E.164 (<c>+34…</c> → 34) and every country (ISO 3166-1 alpha-2) that
    /// shares it (+1: US, CA and the other plans of North America; +44: GB, GG, IM, JE), main country first; null when
    /// the text starts with no calling code; no country for a non-geographic code (+800). Read from the prefix alone
    /// (calling codes are prefix-free): no parse.
    /// </summary>
    public static (int Code, IReadOnlyList<string> Countries)? CallingCode(string e164)
    {
        if (e164.Length < 2 || e164[0] != '+')
        {
            return null;
        }

        var code = 0;
        for (var i = 1; i <= 3 && i < e164.Length && char.IsAsciiDigit(e164[i]); i++)
        {
            code = (code * 10) + (e164[i] - '0');
            var countries = Util.GetRegionCodesForCountryCode(code);
            if (countries.Count > 0)
            {
                return (code, countries.Where(c => c != "001").ToArray());
            }
        }

        return null;
    }

    /// <summary><paramref name="text"/> in E.164, read in <paramref name="region"/> when it has no country code.</summary>
    public static TraitReading Read(string text, string? region)
    {
        region = region is { Length: > 0 } ? region : null;
        PhoneNumber number;
        try
        {
            number = Util.Parse(text, region ?? NoRegion);
        }
        catch (NumberParseException e)
        {
            return TraitReading.Unreadable(e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE when !text.TrimStart().StartsWith('+') && region is null =>
                    "no country code: send it as +<country code>, or with the country in the same identify",
                ErrorType.INVALID_COUNTRY_CODE => "not a phone number: unknown country code",
                ErrorType.TOO_SHORT_AFTER_IDD or ErrorType.TOO_SHORT_NSN => "not a phone number: too short",
                ErrorType.TOO_LONG => "not a phone number: too long",
                _ => "not a phone number",
            });
        }

        if (!Util.IsValidNumber(number))
        {
            var country = Util.GetRegionCodeForCountryCode(number.CountryCode);
            return TraitReading.Unreadable(country == NoRegion
                ? "not a phone number: unknown country code"
                : $"not a valid phone number in {country}");
        }

        return TraitReading.Read(Util.Format(number, PhoneNumberFormat.E164));
    }
}
