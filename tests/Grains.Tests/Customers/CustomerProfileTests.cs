using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>Profiles as a store sends them, dirty: the customer view shows them normalised, and what could not be read with why.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerProfileTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task The_view_shows_normalised_traits_and_the_raw_values_with_reasons_also_once_reloaded()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(
            Identify("i1", "ana", Now.AddDays(-2), ("email", "ana@example.com"), ("phone", "+34 612 34 56 78")),
            Identify("i2", "ana", Now.AddDays(-1),
                ("email", " Ana@Example.COM "), ("country", "Spain"), ("birthDate", "1990-02-30"), ("phone", "555"), ("city", "Bilbao")));

        var view = await store.ViewAsync("ana");
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var replayed = await store.ViewAsync("ana");

        foreach (var v in new[] { view!, replayed! })
        {
            Assert.Equal("ana@example.com", v.Profile["email"].Text);
            Assert.Equal("ES", v.Profile["country"].Text);
            Assert.Equal("+34612345678", v.Profile["phone"].Text);
            Assert.Equal("Bilbao", v.Profile["city"].Text);
            Assert.False(v.Profile.ContainsKey("birthDate"));
            Assert.Equal(
                [
                    new RawTrait("birthDate", PropertyValue.Of("1990-02-30"), "not a date 'yyyy-MM-dd'", Now.AddDays(-1)),
                    new RawTrait("phone", PropertyValue.Of("555"), "not a valid phone number in ES", Now.AddDays(-1)),
                ],
                v.RawValues.ToArray());
        }
    }

    [Fact]
    public async Task A_rule_on_the_country_code_matches_customers_who_sent_the_name_or_alpha_3()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("spain", "profile.country == \"ES\"");
        await store.CreateSegmentAsync("ana", "profile.email == \"ana@example.com\"");

        await store.RecordAsync(
            Identify("i1", "by-name", Now, ("country", "Spain")),
            Identify("i2", "by-alpha-3", Now, ("country", "ESP")),
            Identify("i3", "by-lower-case", Now, ("country", "es"), ("email", "ANA@example.com ")),
            Identify("i4", "elsewhere", Now, ("country", "Portugal")),
            Identify("i5", "nowhere", Now, ("country", "Narnia")));

        Assert.Equal(["by-alpha-3", "by-lower-case", "by-name"], TestStore.Ids(await store.AllMembersAsync("spain")).Order(StringComparer.Ordinal));
        Assert.Equal(["by-lower-case"], TestStore.Ids(await store.AllMembersAsync("ana")));
        Assert.Equal("PT", (await store.ViewAsync("elsewhere"))!.Profile["country"].Text);
        Assert.Equal("not an ISO 3166-1 country code or name", Assert.Single((await store.ViewAsync("nowhere"))!.RawValues).Reason);
    }
}
