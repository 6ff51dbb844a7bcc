using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// One customer of one store (key: <c>{store}/{customer}</c>): the single writer of its profile, behaviour,
/// traits and memberships. It decides which segments it belongs to and sends only the changes.
/// </summary>
[Alias("cg.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies the events it has not seen, re-evaluates its segments, and returns once the new state and
    /// every resulting membership change are durable.
    /// </summary>
    [Alias("Record")]
    Task<RecordResult> RecordAsync(ImmutableArray<CustomerEvent> events);

    /// <summary>Re-evaluates every segment against a catalog at least as new as <paramref name="catalogVersion"/> (backfills).</summary>
    [Alias("Reevaluate")]
    Task ReevaluateAsync(long catalogVersion);

    /// <summary>Its deadline has come: re-evaluate with no event (the deadline is the cause of any move).</summary>
    [Alias("Wake")]
    Task WakeAsync(DateTimeOffset due);

    /// <summary>The customer as clients see it, or null when the store has never heard of it.</summary>
    [Alias("View"), ReadOnly]
    Task<CustomerView?> GetViewAsync();

    /// <summary>The segments this customer's stored state satisfies now, by fresh evaluation (nothing changes).</summary>
    [Alias("Evaluate"), ReadOnly]
    Task<ImmutableArray<string>> EvaluateAsync();

    /// <summary>Whether the customer's stored state satisfies a draft rule now (for previews; nothing changes).</summary>
    [Alias("Matches"), ReadOnly]
    Task<bool> MatchesAsync(string ruleText);

    /// <summary>Removes the customer everywhere: its state, journal, memberships, deadline and index entry.</summary>
    [Alias("Erase")]
    Task<bool> EraseAsync();
}
