using CustomerGrains.Grains.Profiles;

namespace CustomerGrains.Grains.Tests.Profiles;

/// <summary>What each normalised trait becomes, or why it cannot be read.</summary>
public sealed class ProfileNormalisationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 5, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> ReadableEmails => new()
    {
        { " Ana.Garcia@Example.COM ", "ana.garcia@example.com" },
        { "ana+news@example.co.uk", "ana+news@example.co.uk" },
        { "o'brien@example.ie", "o'brien@example.ie" },
        { "JOSÉ@correo.es", "josé@correo.es" },
        { "a_b-c@sub-domain.example.com", "a_b-c@sub-domain.example.com" },
        { "x@münchen.de", "x@münchen.de" },
    };

    public static TheoryData<string, string> UnreadableEmails => new()
    {
        { "nope", "exactly one '@'" },
        { "ana at example.com", "exactly one '@'" },
        { "ana@@example.com", "exactly one '@'" },
        { "a@b@example.com", "exactly one '@'" },
        { "@example.com", "before '@'" },
        { ".ana@example.com", "before '@'" },
        { "ana.@example.com", "before '@'" },
        { "an..a@example.com", "before '@'" },
        { "ana garcia@example.com", "before '@'" },
        { "Ana <ana@example.com>", "before '@'" },
        { "\"ana\"@example.com", "before '@'" },
        { new string('a', 65) + "@example.com", "before '@'" },
        { "ana@localhost", "domain" },
        { "ana@example", "domain" },
        { "ana@example..com", "domain" },
        { "ana@-example.com", "domain" },
        { "ana@example.com.", "domain" },
        { "ana@1.2.3.4", "domain" },
        { "ana@[1.2.3.4]", "domain" },
        { "ana@exa mple.com", "domain" },
        { "ana@" + new string('e', 250) + ".com", "254" },
    };

    [Theory]
    [MemberData(nameof(ReadableEmails))]
    public void An_email_is_trimmed_and_lower_cased(string sent, string normalised) =>
        Assert.Equal(TraitReading.Read(normalised), Read("email", sent));

    [Theory]
    [MemberData(nameof(UnreadableEmails))]
    public void An_email_that_cannot_be_an_address_is_not_read_and_says_why(string sent, string why)
    {
        var reading = Read("email", sent);

        Assert.Null(reading.Value);
        Assert.Contains(why, reading.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ReadableCountries => new()
    {
        // By alpha-2, in any case, and by alpha-3.
        { "ES", "ES" }, { "es", "ES" }, { " Es ", "ES" }, { "ESP", "ES" }, { "esp", "ES" }, { "DEU", "DE" }, { "GBR", "GB" },
        // By the English short name, the ISO name, and common forms.
        { "Spain", "ES" }, { "SPAIN", "ES" }, { "Germany", "DE" }, { "Mexico", "MX" }, { "Japan", "JP" },
        { "United States", "US" }, { "United States of America", "US" }, { "USA", "US" }, { "U.S.A.", "US" }, { "U.S.", "US" },
        { "UK", "GB" }, { "United Kingdom", "GB" }, { "Great Britain", "GB" }, { "united kingdom of great britain and northern ireland", "GB" },
        { "Netherlands", "NL" }, { "The Netherlands", "NL" }, { "Holland", "NL" },
        { "Bolivia", "BO" }, { "Bolivia (Plurinational State of)", "BO" }, { "Iran", "IR" }, { "Moldova", "MD" }, { "Tanzania", "TZ" },
        { "South Korea", "KR" }, { "Korea, Republic of", "KR" }, { "North Korea", "KP" }, { "Congo", "CG" }, { "DR Congo", "CD" },
        { "Viet Nam", "VN" }, { "Vietnam", "VN" }, { "Russia", "RU" }, { "Czech Republic", "CZ" }, { "Czechia", "CZ" },
        { "Turkey", "TR" }, { "Türkiye", "TR" }, { "Turkiye", "TR" },
        // Accents, apostrophes, "&" and "St" as people write them.
        { "Côte d'Ivoire", "CI" }, { "Cote d Ivoire", "CI" }, { "Ivory Coast", "CI" }, { "Åland Islands", "AX" }, { "Aland Islands", "AX" },
        { "Bosnia & Herzegovina", "BA" }, { "St Lucia", "LC" }, { "St. Kitts and Nevis", "KN" }, { "Saint Lucia", "LC" },
        { "Guinea-Bissau", "GW" }, { "Timor Leste", "TL" },
        // Some names in the country's own language.
        { "España", "ES" }, { "Espana", "ES" }, { "Deutschland", "DE" }, { "Italia", "IT" }, { "Brasil", "BR" }, { "Österreich", "AT" },
    };

    [Theory]
    [MemberData(nameof(ReadableCountries))]
    public void A_country_is_read_as_ISO_alpha_2_from_a_code_or_a_name(string sent, string code) =>
        Assert.Equal(TraitReading.Read(code), Read("country", sent));

    [Theory]
    [InlineData("Narnia")]
    [InlineData("EU")]
    [InlineData("XK")]
    [InlineData("Kosovo")]
    [InlineData("Korea")]
    [InlineData("Virgin Islands")]
    [InlineData("E")]
    [InlineData("ESPA")]
    [InlineData("")]
    [InlineData("Россия")]
    public void A_country_that_is_no_ISO_country_or_is_ambiguous_is_not_read(string sent) =>
        Assert.Equal(TraitReading.Unreadable("not an ISO 3166-1 country code or name"), Read("country", sent));

    [Fact]
    public void The_table_is_ISO_3166_1_and_each_code_reads_as_itself()
    {
        Assert.Equal(249, Countries.Codes.Count);
        Assert.All(Countries.Codes, code =>
        {
            Assert.Matches("^[A-Z]{2}$", code);
            Assert.Equal(code, Countries.Find(code.ToLowerInvariant()));
        });
    }

    public static TheoryData<string, string?, string> ReadablePhones => new()
    {
        // With a country code, whatever the region.
        { "+34 612 34 56 78", null, "+34612345678" },
        { "+1 415 555 2671", "ES", "+14155552671" },
        { "+44 20 7946 0018", null, "+442079460018" },
        { "+52 55 1234 5678", null, "+525512345678" },
        { "+81 3-1234-5678", null, "+81312345678" },
        { "+55 11 91234-5678", "US", "+5511912345678" },
        // Without one, in the region given: national formats and the region's international prefix.
        { "612 34 56 78", "ES", "+34612345678" },
        { "0034 612 345 678", "ES", "+34612345678" },
        { "(415) 555-2671", "US", "+14155552671" },
        { "020 7946 0018", "GB", "+442079460018" },
        { "030 123456", "DE", "+4930123456" },
        { "06 12 34 56 78", "FR", "+33612345678" },
        { "(11) 91234-5678", "BR", "+5511912345678" },
        { "612 34 56 78 ext. 12", "ES", "+34612345678" },
    };

    [Theory]
    [MemberData(nameof(ReadablePhones))]
    public void A_phone_is_read_in_E164(string sent, string? region, string e164) =>
        Assert.Equal(TraitReading.Read(e164), Phones.Read(sent, region));

    public static TheoryData<string, string?, string> UnreadablePhones => new()
    {
        { "612 34 56 78", null, "no country code" },
        { "612 34 56 78", "", "no country code" },
        { "hello", "ES", "not a phone number" },
        { "12", "ES", "not a valid phone number in ES" },
        { "+1 555 0100", null, "not a valid phone number in US" },
        { "+999 1234", null, "unknown country code" },
        { "1234567890123456789", "ES", "too long" },
    };

    [Theory]
    [MemberData(nameof(UnreadablePhones))]
    public void A_phone_that_cannot_be_read_says_why(string sent, string? region, string why)
    {
        var reading = Phones.Read(sent, region);

        Assert.Null(reading.Value);
        Assert.Contains(why, reading.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1990-05-01", "1990-05-01")]
    [InlineData(" 1990-05-01 ", "1990-05-01")]
    [InlineData("2000-02-29", "2000-02-29")]
    [InlineData("2026-11-01", "2026-11-01")] // born the day of the event
    [InlineData("1906-11-01", "1906-11-01")] // 120 today
    [InlineData("1905-11-02", "1905-11-02")] // 120 until tomorrow
    public void A_plausible_birth_date_is_read(string sent, string date) =>
        Assert.Equal(TraitReading.Read(date), Read("birthDate", sent));

    [Theory]
    [InlineData("1990-02-30", "not a date")]
    [InlineData("01/02/1990", "not a date")]
    [InlineData("1990-5-1", "not a date")]
    [InlineData("1990-05-01T00:00:00Z", "not a date")]
    [InlineData("yesterday", "not a date")]
    [InlineData("2026-11-02", "after the event")]
    [InlineData("2090-01-01", "after the event")]
    [InlineData("1905-11-01", "more than 120 years")]
    [InlineData("0001-01-01", "more than 120 years")]
    public void An_impossible_birth_date_is_not_read(string sent, string why)
    {
        var reading = Read("birthDate", sent);

        Assert.Null(reading.Value);
        Assert.Contains(why, reading.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_birth_date_is_judged_against_the_event_not_the_clock()
    {
        // At noon UTC it is already the next day in UTC+14: a birth that day is not in the future for everyone.
        var noon = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal("2026-11-02", BirthDates.Read("2026-11-02", noon).Value);
        Assert.Equal("after the event that sent it", BirthDates.Read("2026-11-03", noon).Reason);
        Assert.Equal("2030-01-01", BirthDates.Read("2030-01-01", new DateTimeOffset(2030, 6, 1, 0, 0, 0, TimeSpan.Zero)).Value);
    }

    private static TraitReading Read(string trait, string sent) => ProfileNormalisation.Read(trait, sent, At, null);
}
