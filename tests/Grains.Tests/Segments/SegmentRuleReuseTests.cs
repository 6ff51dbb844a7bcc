using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Segments;

/// <summary>
/// Measures the parse count per definition version: every rule is parsed once per process (both test silos
/// share it), and the catalog's check, the reference graph and both silos' evaluation use that one parse.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SegmentRuleReuseTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task Each_rule_is_parsed_once_however_often_catalogs_reload_and_customers_are_evaluated()
    {
        var store = new TestStore(cluster);
        var catalog = cluster.Grains.GetGrain<ISegmentCatalogGrain>(store.Id);

        // The store id makes these texts this test's own in the process-wide cache.
        var mark = $" and profile.city != \"{store.Id}\"";
        await store.CreateSegmentAsync("buyers", "orders >= 1" + mark);
        Assert.Equal(CatalogOutcome.Ok, (await catalog.CreateAsync(new SegmentDraft("big-buyers", "Big", null, "revenue > 100" + mark, Parent: "buyers"))).Outcome);
        Assert.Equal(CatalogOutcome.Ok, (await catalog.CreateAsync(new SegmentDraft("lookers", "Lookers", null, "count(visit, 30d) >= 1 and not in_segment(\"buyers\")" + mark))).Outcome);
        await store.WaitForBackfillAsync("big-buyers");
        await store.WaitForBackfillAsync("lookers");
        await store.RecordAsync(Order("o1", "ann", Now, 150), Order("o2", "bob", Now, 20), Visit("v1", "cat", Now), Visit("v2", "dan", Now));
        Assert.Equal(["ann"], TestStore.Ids(await store.AllMembersAsync("big-buyers")));

        var before = await CompiledOnEverySiloAsync(store.Id, "big-buyers", "lookers");

        // An edit of buyers: its new version is parsed once; the re-derived versions of the two segments that read
        // it keep their text, and every catalog reload since (five versions) found what it had.
        await store.UpdateSegmentAsync("buyers", "orders >= 2" + mark);
        await Eventually(async () =>
        {
            Assert.Equal(2, (await catalog.GetAsync("big-buyers"))!.Definition.Version);
            Assert.Equal(2, (await catalog.GetAsync("lookers"))!.Definition.Version);
        });

        // "Ready" is said once every silo has the switched versions (a read can see version 2 a moment before).
        await store.WaitForBackfillAsync("big-buyers");
        await store.WaitForBackfillAsync("lookers");
        await store.RecordAsync(Order("o3", "bob", Now, 500), Order("o4", "eve", Now, 5), Visit("v3", "eve", Now));
        Assert.Equal(["bob"], TestStore.Ids(await store.AllMembersAsync("buyers")));
        Assert.Equal(["bob"], TestStore.Ids(await store.AllMembersAsync("big-buyers")));

        var after = await CompiledOnEverySiloAsync(store.Id, "buyers", "big-buyers", "lookers");
        Assert.Same(before["big-buyers"], after["big-buyers"]);
        Assert.Same(before["lookers"], after["lookers"]);
        Assert.Equal("in_segment(\"buyers\") and revenue > 100" + mark, after["big-buyers"].Text);
    }

    /// <summary>
    /// The compiled rule of each serving segment, the same instance on every silo and the one the process-wide cache
    /// holds for the stored definition: the catalog's check built it, nothing parsed the text since.
    /// </summary>
    private async Task<Dictionary<string, CompiledRule>> CompiledOnEverySiloAsync(string store, params string[] segments)
    {
        var catalog = cluster.Grains.GetGrain<ISegmentCatalogGrain>(store);
        var result = new Dictionary<string, CompiledRule>(StringComparer.Ordinal);
        foreach (var id in segments)
        {
            var definition = (await catalog.GetAsync(id))!.Definition;
            Assert.True(SegmentRules.TryPeek(definition.Rule, definition.Parent, out var cached));
            foreach (var silo in cluster.SiloServices)
            {
                var compiled = (await silo.GetRequiredService<SegmentRuleCache>().GetAsync(store)).Find(id)!;
                Assert.Equal(definition.Version, compiled.Definition.Version);
                Assert.Same(cached, compiled.Rule);
            }

            result[id] = cached!;
        }

        return result;
    }

    private static async Task Eventually(Func<Task> assertion)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
