using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A customer's answer to <see cref="ICustomerGrain.FreezeAsync"/>: why it refused (it is not frozen then), or its state as
/// it stands while it waits for the thaw (a copy: it crosses the call).
/// </summary>
[GenerateSerializer, Alias("cg.Frozen")]
public sealed record Frozen(
    [property: Id(0)] MergeOutcome? Refusal,
    [property: Id(1)] CustomerState? State);
