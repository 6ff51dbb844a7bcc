using CustomerGrains.Grains.Customers;
using static CustomerGrains.Grains.Tests.Infrastructure.TestSerialization;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// Snapshots already stored must keep loading as the customer they were. The resources were produced by the
/// engine at main <c>0fff437</c> (before the compact in-memory state): a throwaway program compiled
/// <see cref="SnapshotCustomer"/> against that commit's Grains project and wrote
/// <c>Serializer.SerializeToArray(SnapshotCustomer.Build())</c> to <c>snapshot-main-0fff437.bin</c> and
/// <c>SnapshotCustomer.Describe</c> of the same state to <c>snapshot-main-0fff437.txt</c>.
/// </summary>
public sealed class SnapshotCompatibilityTests
{
    [Fact]
    public void A_snapshot_written_before_the_compact_state_loads_as_the_same_customer()
    {
        var loaded = Serializer.Deserialize<CustomerState>(Resource("snapshot-main-0fff437.bin"))!;

        Assert.Equal(Text("snapshot-main-0fff437.txt"), SnapshotCustomer.Describe(loaded));
        Assert.Equal(SnapshotCustomer.Describe(SnapshotCustomer.Build()), SnapshotCustomer.Describe(loaded));
    }

    [Fact]
    public void A_customer_loaded_from_an_old_snapshot_goes_on_like_one_never_stored()
    {
        var loaded = Serializer.Deserialize<CustomerState>(Resource("snapshot-main-0fff437.bin"))!;
        var fresh = SnapshotCustomer.Build();
        foreach (var state in new[] { loaded, fresh })
        {
            CustomerBehaviour.Apply(state, new CustomerEvent("late", "c", EventTypes.ProductViewed, SnapshotCustomer.Now.AddHours(-1),
                EventProperties.From(System.Collections.Immutable.ImmutableDictionary<string, PropertyValue>.Empty.Add("category", PropertyValue.Of("shoes")))));
            CustomerBehaviour.Apply(state, new CustomerEvent("old", "c", EventTypes.Visit, SnapshotCustomer.Now.AddDays(-70),
                EventProperties.Empty));
            CustomerBehaviour.Prune(state, SnapshotCustomer.Now, SnapshotCustomer.Options);
        }

        Assert.Equal(SnapshotCustomer.Describe(fresh), SnapshotCustomer.Describe(loaded));
    }

    [Fact]
    public void A_snapshot_written_now_loads_as_the_same_customer()
    {
        var state = SnapshotCustomer.Build();

        var loaded = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(state))!;

        Assert.Equal(SnapshotCustomer.Describe(state), SnapshotCustomer.Describe(loaded));
        Assert.Equal(Text("snapshot-main-0fff437.txt"), SnapshotCustomer.Describe(loaded));
    }

    private static string Text(string name) => System.Text.Encoding.UTF8.GetString(Resource(name));
}
