using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>
/// The embedded store's grain storage reads a string-keyed grain's state as Orleans' ADO.NET provider does — whether
/// no row, a row, or a cleared row is stored — while a read that finds no row asks only the keys' index
/// (<see cref="SerializedWritesGrainStorage"/>). The provider itself, under its inner name, is the oracle.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainStateReadTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_read_gives_what_the_provider_gives_for_no_row_a_row_and_a_cleared_row()
    {
        var services = cluster.SiloServices.First();
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Provider);
        var provider = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Provider + "-sqlite");
        var id = GrainId.Create("customer", GrainKeys.Customer("state-read", $"c-{Guid.NewGuid():N}"));

        // No row.
        await AssertSameAsync(storage, provider, id, recordExists: false);

        // A row: the state written, its version.
        var written = new GrainState<CustomerState>(new CustomerState { JournalSeq = 42 });
        await storage.WriteStateAsync(StorageNames.CustomerState, id, written);
        var read = await AssertSameAsync(storage, provider, id, recordExists: true);
        Assert.Equal(42, read.State!.JournalSeq);
        Assert.Equal(written.ETag, read.ETag);

        // A cleared row: the provider keeps the row without its payload, and reads it as a new state with the row's version.
        await storage.ClearStateAsync(StorageNames.CustomerState, id, written);
        read = await AssertSameAsync(storage, provider, id, recordExists: false);
        Assert.Equal(0, read.State!.JournalSeq);
        Assert.Equal(written.ETag, read.ETag);

        // Another grain's key, a prefix of this one's, is not this one's row.
        var prefix = GrainId.Create("customer", GrainKeys.Customer("state-read", "c"));
        await AssertSameAsync(storage, provider, prefix, recordExists: false);
    }

    private static async Task<GrainState<CustomerState>> AssertSameAsync(IGrainStorage storage, IGrainStorage provider, GrainId id, bool recordExists)
    {
        var ours = new GrainState<CustomerState>(new CustomerState { JournalSeq = -1 }) { ETag = "stale" };
        var theirs = new GrainState<CustomerState>(new CustomerState { JournalSeq = -1 }) { ETag = "stale" };
        await storage.ReadStateAsync(StorageNames.CustomerState, id, ours);
        await provider.ReadStateAsync(StorageNames.CustomerState, id, theirs);
        Assert.Equal(recordExists, ours.RecordExists);
        Assert.Equal(theirs.RecordExists, ours.RecordExists);
        Assert.Equal(theirs.ETag, ours.ETag);
        Assert.Equal(theirs.State!.JournalSeq, ours.State!.JournalSeq);
        Assert.Equal(theirs.State.Exists, ours.State.Exists);
        return ours;
    }
}
