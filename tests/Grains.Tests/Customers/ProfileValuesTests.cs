using CustomerGrains.Grains.Behaviour;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// A customer applying identifies: normalised traits, and what could not be read kept raw with the reason, alike
/// whatever order the events arrive in.
/// </summary>
public sealed class ProfileValuesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Dirty_traits_are_normalised_and_unreadable_ones_kept_raw_with_the_reason()
    {
        var state = Apply(Identify("i1", "c", Now,
            ("email", "  Ana.Garcia@Example.COM "), ("country", "Spain"), ("phone", "612 34 56 78"),
            ("birthDate", "2031-01-01"), ("firstName", "Ana")));

        Assert.Equal("ana.garcia@example.com", Text(state, "email"));
        Assert.Equal("ES", Text(state, "country"));
        Assert.Equal("+34612345678", Text(state, "phone"));
        Assert.Equal("Ana", Text(state, "firstName"));
        Assert.False(state.Profile.ContainsKey("birthDate"));
        var raw = Assert.Single(state.RawValues!);
        Assert.Equal("birthDate", raw.Key);
        Assert.Equal(new RawProfileValue(PropertyValue.Of("2031-01-01"), "after the event that sent it", Now, "i1"), raw.Value);
    }

    [Fact]
    public void An_unreadable_value_leaves_the_trait_as_it_was_until_a_newer_readable_one_comes()
    {
        var state = Apply(
            Identify("i1", "c", Now.AddDays(-3), ("email", "ana@example.com")),
            Identify("i2", "c", Now.AddDays(-2), ("email", "ana at example.com")));

        Assert.Equal("ana@example.com", Text(state, "email"));
        Assert.Equal("ana at example.com", state.RawValues!["email"].Value.Text);

        CustomerBehaviour.Apply(state, Identify("i3", "c", Now.AddDays(-1), ("email", "Ana@Example.org")));

        Assert.Equal("ana@example.org", Text(state, "email"));
        Assert.Null(state.RawValues);
    }

    [Fact]
    public void An_unreadable_value_older_than_the_trait_is_not_kept()
    {
        var state = Apply(
            Identify("i2", "c", Now.AddDays(-1), ("country", "DE")),
            Identify("i1", "c", Now.AddDays(-2), ("country", "Narnia")));

        Assert.Equal("DE", Text(state, "country"));
        Assert.Null(state.RawValues);
    }

    [Fact]
    public void Every_arrival_order_gives_the_same_profile_and_raw_values()
    {
        CustomerEvent[] events =
        [
            Identify("i1", "c", Now.AddDays(-6), ("email", "one@example.com"), ("country", "ESP")),
            Identify("i2", "c", Now.AddDays(-5), ("email", "two@"), ("phone", "+34 612 345 678")),
            Identify("i3", "c", Now.AddDays(-4), ("email", "Three@Example.com"), ("country", "Atlantis")),
            Identify("i4", "c", Now.AddDays(-3), ("phone", "12"), ("country", "france")),
            Identify("i5", "c", Now.AddDays(-2), ("email", "five"), ("birthDate", "1990-02-30")),
            Identify("i6", "c", Now.AddDays(-1), ("email", "six@@example.com"), ("birthDate", "1990-02-28")),
        ];
        var expected = Describe(Apply(events));
        var random = new Random(18);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            Assert.Equal(expected, Describe(Apply([.. events.OrderBy(_ => random.Next())])));
        }

        Assert.Equal(
            """
            birthDate = 1990-02-28
            country = FR
            email = three@example.com
            phone = +34612345678
            raw email = six@@example.com (not an e-mail address: it needs exactly one '@') by i6
            raw phone = 12 (not a valid phone number in FR) by i4
            """,
            expected);
    }

    [Fact]
    public void A_phone_without_a_country_code_is_read_in_the_country_sent_with_it_else_in_the_default_region()
    {
        var withCountry = Apply(Identify("i1", "c", Now, ("phone", "06 12 34 56 78"), ("country", "France")));
        var alone = Apply(Identify("i1", "c", Now, ("phone", "06 12 34 56 78")));
        var byDefault = new CustomerState();
        CustomerBehaviour.Apply(byDefault, Identify("i1", "c", Now, ("phone", "06 12 34 56 78")), defaultPhoneRegion: "FR");
        var countryFirst = Apply(Identify("i1", "c", Now.AddDays(-1), ("country", "FR")), Identify("i2", "c", Now, ("phone", "06 12 34 56 78")));

        Assert.Equal("+33612345678", Text(withCountry, "phone"));
        Assert.Equal("+33612345678", Text(byDefault, "phone"));
        Assert.StartsWith("no country code", alone.RawValues!["phone"].Reason, StringComparison.Ordinal);

        // Not in the country the profile holds: whether it holds one yet would depend on the order events arrive in.
        Assert.False(countryFirst.Profile.ContainsKey("phone"));
        Assert.StartsWith("no country code", countryFirst.RawValues!["phone"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_normalised_trait_sent_as_something_else_than_text_is_kept_raw()
    {
        var state = Apply(Make("i1", "c", EventTypes.Identify, Now, ("phone", PropertyValue.Of(612345678)), ("country", PropertyValue.Of(["ES"]))));

        Assert.Empty(state.Profile);
        Assert.Equal(PropertyValue.Of(612345678), state.RawValues!["phone"].Value);
        Assert.Equal("must be text", state.RawValues["phone"].Reason);
        Assert.Equal("must be text", state.RawValues["country"].Reason);
    }

    private static CustomerState Apply(params CustomerEvent[] events)
    {
        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }

    private static string? Text(CustomerState state, string trait) => state.Profile.TryGetValue(trait, out var field) ? field.Value.Text : null;

    private static string Describe(CustomerState state) => string.Join('\n',
        state.Profile.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value.Value.Text}")
            .Concat((state.RawValues ?? []).OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => $"raw {r.Key} = {r.Value.Value.Text} ({r.Value.Reason}) by {r.Value.SetBy}")));
}
