using System.Collections.Immutable;
using CustomerGrains.Grains.Quality;

namespace CustomerGrains.Grains.Tests.Quality;

/// <summary>A store's report kept from its customers' updates: versions, removals, duplicate groups, pages, ranges.</summary>
public sealed class QualityIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_older_update_arriving_late_does_not_replace_a_newer_one()
    {
        var index = Index();

        Assert.True(index.Apply(Update("a", 5, Facts(email: "x")), Now));
        Assert.False(index.Apply(Update("a", 3, Facts(email: "y")), Now));

        Assert.Equal(5, index["a"]!.Version);
        Assert.Equal(Facts(email: "x"), index["a"]!.Facts);
    }

    [Fact]
    public void A_removed_customer_is_not_brought_back_by_an_older_update_but_comes_back_with_a_newer_one()
    {
        var index = Index();
        index.Apply(Update("a", 5, Facts(invalid: "email")), Now);

        Assert.True(index.Apply(Update("a", 7, null), Now));
        Assert.False(index.Apply(Update("a", 6, Facts(invalid: "email")), Now.AddMinutes(1)));
        Assert.Equal(0, Summary(index).Invalid.Any.Count);

        Assert.True(index.Apply(Update("a", 9, Facts(invalid: "email")), Now.AddMinutes(2)));
        Assert.Equal(["a"], Summary(index).Invalid.Any.Examples.ToArray());
    }

    [Fact]
    public void A_duplicate_group_forms_at_two_customers_and_dissolves_at_one()
    {
        var index = Index();
        index.Apply(Update("a", 1, Facts(email: "x")), Now);
        Assert.Equal((0, 0), Duplicates(index, "email"));

        index.Apply(Update("b", 1, Facts(email: "x")), Now);
        index.Apply(Update("c", 1, Facts(email: "y", phone: "p")), Now);
        index.Apply(Update("d", 1, Facts(phone: "p")), Now);
        Assert.Equal((1, 2), Duplicates(index, "email"));
        Assert.Equal((1, 2), Duplicates(index, "phone"));
        var any = Summary(index).Duplicates.Any;
        Assert.Equal((2, 4), (any.Groups, any.Customers));
        Assert.Equal([["a", "b"], ["c", "d"]], any.Examples.Select(g => g.ToArray()));

        index.Apply(Update("b", 2, Facts(email: "z")), Now);
        Assert.Equal((0, 0), Duplicates(index, "email"));
        Assert.Equal(["c", "d"], Page(index, QualityChecks.Duplicates, null).Select(i => i.CustomerId));

        index.Apply(Update("e", 1, Facts(email: "x")), Now);
        var group = Assert.Single(Assert.Single(Page(index, QualityChecks.Duplicates, "email"), i => i.CustomerId == "a").Duplicates);
        Assert.Equal(("email", 2), (group.Field, group.Size));
        Assert.Equal(["a", "e"], group.CustomerIds.ToArray());
    }

    [Fact]
    public void Pages_follow_each_other_by_id_and_cover_every_customer_once()
    {
        var index = Index();
        var ids = Enumerable.Range(0, 57).Select(i => $"c{i:D3}").ToArray();
        foreach (var id in ids.Reverse())
        {
            index.Apply(Update(id, 1, Facts(invalid: "phone")), Now);
        }

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = index.Page(new QualityQuery(QualityChecks.Invalid, "phone", after, 10), Now, 0).Page!;
            Assert.True(page.Items.Length <= 10);
            seen.AddRange(page.Items.Select(i => i.CustomerId));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(ids, seen);
        Assert.Empty(index.Page(new QualityQuery(QualityChecks.Invalid, "email", null, 10), Now, 0).Page!.Items);
    }

    [Fact]
    public void Obsolete_customers_are_a_range_of_last_activity_least_recent_first()
    {
        var index = Index();
        for (var day = 0; day < 30; day++)
        {
            index.Apply(Update($"c{day:D2}", 1, Facts(lastActivity: Now.AddDays(-day))), Now);
        }

        // Inactive for 10 days or more, as a retention's days_since(last_seen) >= 10 counts: c10 to c29.
        var summary = index.Summary(Now, 10, QualityRebuild.Never);
        Assert.Equal(20, summary.Obsolete.Count);
        Assert.Equal(["c29", "c28", "c27", "c26", "c25"], summary.Obsolete.Examples.ToArray());

        var all = new List<QualityItem>();
        string? after = null;
        do
        {
            var page = index.Page(new QualityQuery(QualityChecks.Obsolete, null, after, 7), Now, 10).Page!;
            all.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal(Enumerable.Range(10, 20).Reverse().Select(d => $"c{d:D2}"), all.Select(i => i.CustomerId));
        Assert.Equal(Now.AddDays(-29), all[0].LastActivity);
    }

    [Fact]
    public void Changing_the_key_traits_recounts_the_missing_check_from_the_report()
    {
        var index = Index();
        index.Apply(Update("a", 1, Facts(missing: ["email", "city"])), Now);
        index.Apply(Update("b", 1, Facts(missing: ["city"])), Now);
        Assert.Equal(1, Summary(index).Missing.Any.Count);

        index.SetKeyTraits(["city"]);

        var missing = Summary(index).Missing;
        Assert.Equal(2, missing.Any.Count);
        Assert.Equal([("city", 2L)], missing.Fields.Select(f => (f.Field!, f.Count)));
        Assert.Equal(["city"], Page(index, QualityChecks.Missing, null)[0].Missing.ToArray());
    }

    [Fact]
    public void A_field_a_check_does_not_have_and_a_position_it_never_gave_are_problems()
    {
        var index = Index();

        Assert.Contains("email, firstName, lastName, country", index.Page(new QualityQuery(QualityChecks.Missing, "city", null, 10), Now, 0).Problem);
        Assert.Contains("has no fields", index.Page(new QualityQuery(QualityChecks.Obsolete, "email", null, 10), Now, 365).Problem);
        Assert.Contains("position", index.Page(new QualityQuery(QualityChecks.Obsolete, null, "c1", 10), Now, 365).Problem);
    }

    private static QualityIndex Index() => new(new Dictionary<string, QualityEntry>(StringComparer.Ordinal), QualityChecks.DefaultKeyTraits);

    private static QualityUpdate Update(string id, long version, CustomerQuality? facts) => new(id, version, facts);

    private static QualitySummary Summary(QualityIndex index) => index.Summary(Now, 365, QualityRebuild.Never);

    private static (long Groups, long Customers) Duplicates(QualityIndex index, string field)
    {
        var count = Summary(index).Duplicates.Fields.Single(f => f.Field == field);
        return (count.Groups, count.Customers);
    }

    private static ImmutableArray<QualityItem> Page(QualityIndex index, string check, string? field) =>
        index.Page(new QualityQuery(check, field, null, 1000), Now, 365).Page!.Items;

    private static CustomerQuality Facts(
        string? email = null, string? phone = null, string? invalid = null, string[]? missing = null, DateTimeOffset? lastActivity = null) => new(
        QualityChecks.Mask(missing ?? []),
        invalid is null ? [] : [new InvalidField(invalid, "unreadable")],
        [],
        [.. new[] { ("email", email), ("phone", phone) }.Where(k => k.Item2 is not null).Select(k => QualityFacts.Key(k.Item1, k.Item2!))],
        lastActivity ?? Now);
}
