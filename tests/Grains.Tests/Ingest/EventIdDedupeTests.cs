using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Orleans.Runtime;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Ingest;

/// <summary>An event id is unique per store within the dedupe window, whatever customer it names.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EventIdDedupeTests(ClusterFixture cluster)
{
    private DateTimeOffset Now => cluster.Time.GetUtcNow();

    [Fact]
    public async Task An_id_sent_again_for_another_customer_is_a_duplicate_within_the_window_across_activations()
    {
        var store = new TestStore(cluster);
        await store.CreateSegmentAsync("all", "events >= 1");
        Assert.Equal((1, 0), Counts(await store.RecordAsync(Visit("e1", "ann", Now))));

        // Another customer: refused as a duplicate, nothing of it applied; the same customer's retry is one as before.
        Assert.Equal((0, 1), Counts(await store.RecordAsync(Visit("e1", "bob", Now))));
        Assert.Equal((0, 1), Counts(await store.RecordAsync(Visit("e1", "ann", Now))));
        Assert.Null(await store.ViewAsync("bob"));

        // In one request, the first to name an id holds it.
        Assert.Equal((2, 1), Counts(await store.RecordAsync(Visit("e2", "cy", Now), Visit("e2", "dee", Now), Visit("e3", "dee", Now))));
        Assert.Equal(1, (await store.ViewAsync("cy"))!.Traits.Events);
        Assert.Equal(1, (await store.ViewAsync("dee"))!.Traits.Events);

        // Claims are stored with the customers' commits: new activations of the claims' grains still refuse.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal((0, 1), Counts(await store.RecordAsync(Visit("e1", "bob", Now))));
        Assert.Equal(["ann", "cy", "dee"], TestStore.Ids(await store.AllMembersAsync("all")));

        // Past the window the id is free again.
        cluster.Time.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));
        Assert.Equal((1, 0), Counts(await store.RecordAsync(Visit("e1", "bob", Now))));
    }

    [Fact]
    public void A_batchs_claims_are_one_blob_per_store_of_id_and_owner_fingerprints()
    {
        JournalWrite Write(string store, string customer, params ulong[] ids) =>
            new(store, customer, new JournalRecord([], [], EventIds: [.. ids]));

        var blobs = EventClaims.Of([Write("s1", "ann", 1, 2), Write("s2", "bob", 3), Write("s1", "cy", 4), new JournalWrite("s1", "dee", null)]);

        Assert.Equal(["s1", "s2"], blobs.Keys.Order());
        var claims = new List<(ulong, ulong)>();
        EventClaims.Read(blobs["s1"], (id, owner) => claims.Add((id, owner)));
        var (ann, cy) = (Grains.Infrastructure.IdHash.Of("ann"), Grains.Infrastructure.IdHash.Of("cy"));
        Assert.Equal([(1UL, ann), (2UL, ann), (4UL, cy)], claims);
        Assert.Throws<FormatException>(() => EventClaims.Read(new byte[15], (_, _) => { }));
    }

    private static (int Accepted, int Duplicates) Counts(Grains.Customers.RecordResult result) => (result.Accepted, result.Duplicates);
}
