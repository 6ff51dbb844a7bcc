using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.DataQuality;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Quality;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Quality;

/// <summary>
/// A store's data-quality report, kept by its customers as events arrive (through every silo's reporter), equals a
/// recount of the customers at every count, example and page; erasures leave it; a rebuild repairs what it lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class QualityReportTests(ClusterFixture cluster)
{
    private static readonly string[] Emails = ["ana@example.com", " ANA@Example.com", "bo@example.com", "cy@example.org", "nope", "x at example.com", "dee@example.net"];
    private static readonly string[] Phones = ["+34 612 34 56 78", "+34 612 34 56 79", "+44 20 7946 0018", "+1 415 555 2671", "555", "12"];
    private static readonly string[] Countries = ["ES", "Spain", "FR", "GB", "Jersey", "US", "CA", "Narnia"];
    private static readonly string[] FirstNames = ["Ana", " ana ", "Bo", "Ana  María", "   "];
    private static readonly string[] LastNames = ["García", "GARCÍA", "Li"];
    private static readonly string[] PostalCodes = ["28001", "28 001", "SW1A 1AA"];
    private static readonly string[] BirthDates = ["1990-06-15", "1990-02-30", "2100-01-01", "1985-01-01"];
    private static readonly string[] Cities = ["Madrid", "London", ""];

    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    /// <summary>A store that merges by no matching trait, so that customers who share an e-mail are duplicates to report.</summary>
    private async Task<TestStore> StoreAsync()
    {
        var store = new TestStore(cluster);
        await cluster.Grains.GetGrain<Grains.Population.IPopulationGrain>(store.Id).SetIdentityAsync(new Grains.Classification.IdentitySettings([]));
        return store;
    }

    [Fact]
    public async Task After_a_storm_of_dirty_identifies_and_events_the_report_and_every_page_equal_a_recount()
    {
        var store = await StoreAsync();
        var random = new Random(18);
        var ids = Enumerable.Range(0, 100).Select(i => $"c{i:D3}").ToArray();
        var events = new List<CustomerEvent>();
        for (var i = 0; i < 400; i++)
        {
            var customer = ids[random.Next(ids.Length)];
            var at = Now.AddDays(-random.Next(0, 800)).AddMinutes(-random.Next(0, 1440));
            events.Add(random.Next(3) == 0
                ? Visit($"v{i}", customer, at)
                : Make($"i{i}", customer, EventTypes.Identify, at, [.. Traits(random)]));
        }

        foreach (var batch in events.Chunk(25))
        {
            await store.RecordAsync(batch);
        }

        // Some leave: an erased customer is in no check, and its duplicates lose it.
        foreach (var gone in ids.Where((_, i) => i % 17 == 0))
        {
            await store.EraseAsync(gone);
        }

        var recount = await QualityRecount.OfAsync(cluster.Grains, store.Id, ids, QualityChecks.DefaultKeyTraits);
        Assert.True(recount.Customers > 80, $"{recount.Customers} customers");
        await EqualsRecountAsync(store, recount);

        // The storm leaves every check and field something to find.
        var summary = await Report(store).SummaryAsync(null);
        Assert.All(
            new[] { summary.Missing, summary.Invalid, summary.Contradictions }.SelectMany(c => c.Fields.Prepend(c.Any)),
            count => Assert.True(count.Count > 0, $"nothing for {count.Field}"));
        Assert.All(summary.Duplicates.Fields, count => Assert.True(count.Groups > 0, $"no {count.Field} duplicates"));
        Assert.InRange(summary.Obsolete.Count, 1, summary.Customers - 1);

        // A change of the key traits recounts the missing check from the report.
        await Report(store).SetKeyTraitsAsync(["phone", "city"]);
        await EqualsRecountAsync(store, await QualityRecount.OfAsync(cluster.Grains, store.Id, ids, ["phone", "city"]));
    }

    [Fact]
    public async Task An_erased_customer_leaves_every_check_and_its_duplicate_with_it()
    {
        var store = await StoreAsync();
        await store.RecordAsync(
            Identify("i1", "dirty", Now.AddDays(-400), ("email", "ana@example.com"), ("phone", "+34 612 34 56 78"), ("country", "FR"), ("birthDate", "1990-02-30")),
            Identify("i2", "twin", Now, ("email", "ANA@example.com")));
        var summary = await WaitForAsync(store, s => s.Customers == 2 && s.Duplicates.Any.Customers == 2);
        Assert.Equal(["dirty"], summary.Invalid.Fields.Single(f => f.Field == "birthDate").Examples.ToArray());
        Assert.Equal(["dirty"], summary.Contradictions.Any.Examples.ToArray());
        Assert.Equal(["dirty"], summary.Obsolete.Examples.ToArray());
        Assert.Equal(["dirty", "twin"], summary.Missing.Any.Examples.ToArray());

        Assert.True(await store.EraseAsync("dirty"));

        summary = await WaitForAsync(store, s => s.Customers == 1);
        Assert.Equal([0L, 0, 0, 0, 0], new[] { summary.Invalid.Any.Count, summary.Contradictions.Any.Count, summary.Obsolete.Count, summary.Duplicates.Any.Customers, summary.Duplicates.Any.Groups });
        Assert.Equal(["twin"], summary.Missing.Any.Examples.ToArray());
        foreach (var check in QualityChecks.All)
        {
            var page = (await Report(store).PageAsync(new QualityQuery(check, null, null, 1000, check == QualityChecks.Obsolete ? 1 : null))).Page!;
            Assert.DoesNotContain("dirty", page.Items.Select(i => i.CustomerId));
        }
    }

    [Fact]
    public async Task Two_ids_merged_into_one_customer_are_no_duplicate_and_an_unmerge_brings_both_back()
    {
        var store = await StoreAsync();
        await store.RecordAsync(
            Identify("i1", "anon", Now.AddHours(-2), ("email", "kim@example.com")),
            Identify("i2", "kim", Now.AddHours(-1), ("email", "Kim@Example.com"), ("firstName", "Kim")));
        await WaitForAsync(store, s => s.Customers == 2 && s.Duplicates.Any.Customers == 2);

        Assert.Equal(MergeOutcome.Merged, (await Customer(store, "kim").MergeAsync("anon")).Outcome);
        var merged = await WaitForAsync(store, s => s.Customers == 1);
        Assert.Equal([0L, 0], new[] { merged.Duplicates.Any.Customers, merged.Duplicates.Any.Groups });
        Assert.Equal(["kim"], merged.Missing.Any.Examples.ToArray());

        Assert.Equal(MergeOutcome.Unmerged, (await Customer(store, "kim").UnmergeAsync("anon")).Outcome);
        var apart = await WaitForAsync(store, s => s.Customers == 2);
        Assert.Equal(2, apart.Duplicates.Any.Customers);
    }

    [Fact]
    public async Task A_customer_the_report_lost_reports_again_when_next_activated()
    {
        var store = await StoreAsync();
        await store.RecordAsync(Identify("i1", "ana", Now, ("email", "nope")));
        await WaitForAsync(store, s => s.Invalid.Any.Count == 1);
        var held = await Customer(store, "ana").QualityAsync();

        // As if the report had lost it (a crash before its write): gone from the report, and the customer deactivated.
        await Report(store).MergeAsync([held with { Facts = null }]);
        Assert.Equal(0, (await Report(store).SummaryAsync(null)).Customers);
        await cluster.DeactivateAsync(GrainKeys.Customer(store.Id, "ana"));

        Assert.NotNull(await store.ViewAsync("ana"));
        var summary = await WaitForAsync(store, s => s.Customers == 1);
        Assert.Equal(["ana"], summary.Invalid.Fields.Single(f => f.Field == "email").Examples.ToArray());
    }

    [Fact]
    public async Task A_rebuild_asks_every_customer_and_drops_whom_the_store_does_not_have()
    {
        var store = await StoreAsync();
        var ids = new[] { "a", "b", "c" };
        await store.RecordAsync(
            Identify("i1", "a", Now, ("email", "a@example.com")),
            Identify("i2", "b", Now, ("email", "a@example.com"), ("phone", "555")),
            Visit("v3", "c", Now.AddDays(-500)));
        await WaitForAsync(store, s => s.Customers == 3);

        // Lost: b's facts (its removal, as at its version), and a ghost the store never had.
        var b = await Customer(store, "b").QualityAsync();
        await Report(store).MergeAsync([b with { Facts = null }, new QualityUpdate("ghost", 1, QualityFacts.Of(new CustomerState { EventCount = 1, LastSeen = Now }))]);
        Assert.Equal(3, (await Report(store).SummaryAsync(null)).Customers);

        var started = await Report(store).RebuildAsync();
        Assert.True(started.Running);
        var summary = await WaitForAsync(store, s => s.Rebuild is { Running: false, FinishedAt: not null });

        Assert.Equal(3, summary.Rebuild.Customers);
        await EqualsRecountAsync(store, await QualityRecount.OfAsync(cluster.Grains, store.Id, ids, QualityChecks.DefaultKeyTraits));
    }

    private static IEnumerable<(string, PropertyValue)> Traits(Random random)
    {
        var traits = new Dictionary<string, PropertyValue>(StringComparer.Ordinal);
        (string Name, string[] Values)[] pools =
        [
            ("email", Emails), ("phone", Phones), ("country", Countries), ("firstName", FirstNames), ("lastName", LastNames),
            ("postalCode", PostalCodes), ("birthDate", BirthDates), ("city", Cities),
        ];
        foreach (var (name, values) in pools)
        {
            if (random.Next(10) < 4)
            {
                traits[name] = PropertyValue.Of(values[random.Next(values.Length)]);
            }
        }

        if (random.Next(10) < 2)
        {
            traits["age"] = random.Next(2) == 0 ? PropertyValue.Of(random.Next(18, 60)) : PropertyValue.Of("forty");
        }

        if (random.Next(20) == 0)
        {
            traits["email"] = PropertyValue.Null;
        }

        return traits.Select(t => (t.Key, t.Value));
    }

    private async Task EqualsRecountAsync(TestStore store, QualityRecount recount)
    {
        // Updates travel every 50 ms from each silo: bounded, not timed.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var differences = await recount.DifferencesAsync(Report(store), Now);
            if (differences.Count == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the report differs from a recount: {string.Join("; ", differences.Take(10))}");
            await Task.Delay(50);
        }
    }

    private async Task<QualitySummary> WaitForAsync(TestStore store, Func<QualitySummary, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var summary = await Report(store).SummaryAsync(null);
            if (done(summary))
            {
                return summary;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the report did not get there: {summary}");
            await Task.Delay(20);
        }
    }

    private IQualityGrain Report(TestStore store) => cluster.Grains.GetGrain<IQualityGrain>(store.Id);

    private ICustomerGrain Customer(TestStore store, string id) => cluster.Grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store.Id, id));
}
