using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Quality;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Quality;

/// <summary>What one customer adds to its store's data-quality report, from its profile as identifies leave it.</summary>
public sealed class QualityFactsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_traits_a_profile_can_miss_are_the_known_profile_traits()
    {
        Assert.Equal(EventTypes.KnownProfileTraits.Order(StringComparer.Ordinal), QualityChecks.Traits.Order(StringComparer.Ordinal));
        Assert.All(QualityChecks.DefaultKeyTraits, t => Assert.Contains(t, QualityChecks.Traits));
    }

    [Fact]
    public void A_customer_that_does_not_exist_has_no_facts() => Assert.Null(QualityFacts.Of(new CustomerState()));

    public static TheoryData<(string, string)[], string[]> Missing => new()
    {
        { [], ["email", "firstName", "lastName", "country"] },
        { [("email", "ana@example.com"), ("firstName", "Ana")], ["lastName", "country"] },
        { [("email", "ana@example.com"), ("firstName", "   "), ("lastName", "García"), ("country", "Spain")], ["firstName"] },
        // Unreadable: invalid, and the trait stays missing.
        { [("email", "ana at example.com"), ("firstName", "Ana"), ("lastName", "García"), ("country", "Narnia")], ["email", "country"] },
        { [("email", "ana@example.com"), ("firstName", "Ana"), ("lastName", "García"), ("country", "ES")], [] },
    };

    [Theory]
    [MemberData(nameof(Missing))]
    public void A_key_trait_absent_blank_or_unreadable_is_missing((string, string)[] traits, string[] missing)
    {
        var facts = Facts(Identify("i1", "c", At, traits));

        Assert.Equal(missing, QualityChecks.DefaultKeyTraits.Where(t => (facts.Missing & QualityChecks.Bit(t)) != 0));
    }

    [Fact]
    public void A_null_trait_and_an_empty_list_are_missing_a_number_is_not()
    {
        var facts = Facts(Make("i1", "c", EventTypes.Identify, At,
            ("email", PropertyValue.Null), ("interests", PropertyValue.Of(Array.Empty<string>())), ("postalCode", PropertyValue.Of(28001))));

        Assert.NotEqual(0, facts.Missing & QualityChecks.Bit("email"));
        Assert.NotEqual(0, facts.Missing & QualityChecks.Bit("interests"));
        Assert.Equal(0, facts.Missing & QualityChecks.Bit("postalCode"));
    }

    [Fact]
    public void Invalid_fields_are_the_raw_values_held_with_their_reasons_never_the_values()
    {
        var facts = Facts(
            Identify("i1", "c", At.AddDays(-1), ("phone", "555"), ("country", "ES"), ("birthDate", "1990-02-30")),
            Identify("i2", "c", At, ("email", "nope"), ("phone", "+34 612 34 56 78")));

        Assert.Equal(
            [new InvalidField("birthDate", "not a date 'yyyy-MM-dd'"), new InvalidField("email", "not an e-mail address: it needs exactly one '@'")],
            facts.Invalid.ToArray());
    }

    public static TheoryData<string, string, string?> PhoneCountries => new()
    {
        { "+34 612 34 56 78", "France", "the phone's calling code +34 is ES; the country is FR" },
        { "+34 612 34 56 78", "Spain", null },
        // North America shares +1, and the United Kingdom +44 with its Crown Dependencies: no contradiction.
        { "+1 415 555 2671", "Canada", null },
        { "+44 20 7946 0018", "Jersey", null },
        { "+44 20 7946 0018", "IE", "the phone's calling code +44 is GB, GG, IM, …; the country is IE" },
    };

    [Theory]
    [MemberData(nameof(PhoneCountries))]
    public void A_phone_contradicts_a_country_that_does_not_use_its_calling_code(string phone, string country, string? detail)
    {
        var facts = Facts(Identify("i1", "c", At, ("phone", phone), ("country", country)));

        Assert.Equal(detail is null ? [] : [new Contradiction(QualityChecks.PhoneCountry, detail)], facts.Contradictions.ToArray());
    }

    public static TheoryData<string, bool> Ages => new()
    {
        // Born 1990-06-15: 36 on 2026-11-01.
        { "36", false },
        { "35", false },
        { "37", false },
        { "34", true },
        { "38", true },
        { "30.5", true },
        { "thirty", false },
    };

    [Theory]
    [MemberData(nameof(Ages))]
    public void A_stated_age_contradicts_a_birth_date_more_than_a_year_away(string age, bool contradicts)
    {
        var facts = Facts(Identify("i1", "c", At, ("age", age), ("birthDate", "1990-06-15")));

        Assert.Equal(contradicts, facts.Contradictions.Any(c => c.Kind == QualityChecks.Age));
    }

    [Fact]
    public void A_stated_age_is_judged_on_the_day_it_was_stated_as_it_does_not_grow()
    {
        var facts = Facts(
            Make("i1", "c", EventTypes.Identify, new DateTimeOffset(2020, 7, 1, 0, 0, 0, TimeSpan.Zero), ("age", PropertyValue.Of(30))),
            Identify("i2", "c", At, ("birthDate", "1990-06-15")));
        var wrong = Facts(Make("i1", "c", EventTypes.Identify, At, ("age", PropertyValue.Of(30))), Identify("i2", "c", At, ("birthDate", "1990-06-15")));

        Assert.Empty(facts.Contradictions);
        Assert.Equal(new Contradiction(QualityChecks.Age, "age 30 stated on 2026-11-01; the birth date makes 36 then"), Assert.Single(wrong.Contradictions));
    }

    [Fact]
    public void Duplicate_keys_read_e_mail_phone_and_name_with_postal_code_alike_however_they_were_written()
    {
        var one = Facts(Identify("i1", "a", At,
            ("email", " Ana@Example.COM"), ("phone", "+34 612 34 56 78"), ("firstName", " Ana  María "), ("lastName", "GARCÍA"), ("postalCode", "28 001")));
        var other = Facts(Identify("i1", "b", At,
            ("email", "ana@example.com"), ("phone", "612345678"), ("country", "ES"), ("firstName", "ana maría"), ("lastName", "garcía"), ("postalCode", "28001")));
        var elsewhere = Facts(Identify("i1", "c", At, ("firstName", "Ana María"), ("lastName", "García"), ("postalCode", "28002")));
        var noPostalCode = Facts(Identify("i1", "d", At, ("firstName", "Ana María"), ("lastName", "García")));

        Assert.Equal(["email", "phone", "name"], one.Keys.Select(k => k.Field));
        Assert.Equal(one.Keys.ToArray(), other.Keys.ToArray());
        Assert.NotEqual(one.Keys[2], Assert.Single(elsewhere.Keys));
        Assert.Empty(noPostalCode.Keys);
        Assert.Equal(QualityFacts.Key("email", "ana@example.com"), one.Keys[0]);
    }

    [Fact]
    public void Keys_of_different_fields_never_meet() =>
        Assert.NotEqual(QualityFacts.Key("email", "x").Hash, QualityFacts.Key("phone", "x").Hash);

    [Fact]
    public void The_last_activity_is_the_newest_event_time_whatever_the_order()
    {
        var facts = Facts(Visit("v2", "c", At), Visit("v1", "c", At.AddDays(-3)));

        Assert.Equal(At, facts.LastActivity);
    }

    [Fact]
    public void Equal_facts_are_equal_member_by_member()
    {
        var events = new[] { Identify("i1", "c", At, ("email", "nope"), ("phone", "+34612345678"), ("country", "FR")) };

        Assert.Equal(Facts(events), Facts(events));
        Assert.NotEqual(Facts(events), Facts([.. events, Visit("v", "c", At.AddDays(1))]));
    }

    private static CustomerQuality Facts(params CustomerEvent[] events)
    {
        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return QualityFacts.Of(state)!;
    }
}
