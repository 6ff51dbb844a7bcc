using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using static CustomerGrains.Grains.Tests.Infrastructure.TestSerialization;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// Snapshots already stored must keep loading as the customer they were. The resources were produced by the
/// engine at main <c>0fff437</c> (before the compact in-memory state) and at main <c>aa80f5c</c> (before retained
/// events were structs): a throwaway program (a test, the second time) compiled <see cref="SnapshotCustomer"/>
/// against that commit's Grains project and wrote <c>Serializer.SerializeToArray(SnapshotCustomer.Build())</c> to
/// <c>snapshot-main-&lt;commit&gt;.bin</c>, and at <c>0fff437</c> <c>SnapshotCustomer.Describe</c> of the same state to
/// <c>snapshot-main-0fff437.txt</c> (<c>aa80f5c</c> described it alike). Those descriptions name retained events by
/// their ids; retained events now keep only the ids' fingerprints, which the comparison puts in their place.
/// </summary>
public sealed class SnapshotCompatibilityTests
{
    public static TheoryData<string> Stored => ["snapshot-main-0fff437.bin", "snapshot-main-aa80f5c.bin"];

    [Theory]
    [MemberData(nameof(Stored))]
    public void A_snapshot_written_by_an_earlier_build_loads_as_the_same_customer(string resource)
    {
        var loaded = Serializer.Deserialize<CustomerState>(Resource(resource))!;

        Assert.Equal(StoredDescription(), SnapshotCustomer.Describe(loaded));
        Assert.Equal(SnapshotCustomer.Describe(SnapshotCustomer.Build()), SnapshotCustomer.Describe(loaded));
    }

    [Theory]
    [MemberData(nameof(Stored))]
    public void A_customer_loaded_from_an_old_snapshot_goes_on_like_one_never_stored(string resource)
    {
        var loaded = Serializer.Deserialize<CustomerState>(Resource(resource))!;
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
        Assert.Equal(StoredDescription(), SnapshotCustomer.Describe(loaded));
    }

    [Fact]
    public void Raw_profile_values_are_kept_by_a_snapshot_and_earlier_snapshots_load_without_any()
    {
        var state = SnapshotCustomer.Build();
        CustomerBehaviour.Apply(state, new CustomerEvent("dirty", "c", EventTypes.Identify, SnapshotCustomer.Now, EventProperties.From(
            System.Collections.Immutable.ImmutableDictionary<string, PropertyValue>.Empty
                .Add("email", PropertyValue.Of("ana at example.com"))
                .Add("phone", PropertyValue.Of(612345678)))));

        var loaded = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(state))!;

        Assert.Equal(state.RawValues!.OrderBy(r => r.Key, StringComparer.Ordinal), loaded.RawValues!.OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Equal(2, loaded.RawValues!.Count);
        Assert.All(["snapshot-main-0fff437.bin", "snapshot-main-aa80f5c.bin"], resource => Assert.Null(Serializer.Deserialize<CustomerState>(Resource(resource))!.RawValues));
    }

    /// <summary>The stored description, each retained event's id (<c>event e12 …</c>) as its fingerprint (<c>event #… …</c>).</summary>
    private static string StoredDescription() => string.Join('\n', System.Text.Encoding.UTF8.GetString(Resource("snapshot-main-0fff437.txt"))
        .Split('\n')
        .Select(line => line.StartsWith("event ", StringComparison.Ordinal) && line.Split(' ') is [_, var id, ..]
            ? $"event #{CustomerBehaviour.Fingerprint(id)}{line[("event ".Length + id.Length)..]}"
            : line));
}
