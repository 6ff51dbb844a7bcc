using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Evaluation;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// What one step of a customer decided (<see cref="CustomerDecisions"/>): the events it applied, the membership
/// changes it made and the customer's next deadline over every segment. The grain turns it into one journal write.
/// </summary>
public sealed record CustomerDecision(
    ImmutableArray<CustomerEvent> Accepted,
    ImmutableArray<MembershipDecision> Changes,
    DateTimeOffset? NextDeadline)
{
    /// <summary>The ids of the events refused because the customer's id is suppressed (nothing else is decided then).</summary>
    public ImmutableArray<string> Suppressed { get; init; } = [];

    /// <summary>Nothing applied, nothing changed: every event was seen before, or there is no customer to decide for.</summary>
    public static CustomerDecision Nothing { get; } = new([], [], null);

    /// <summary>Whether the journal must record it (events or membership changes, not just a deadline).</summary>
    public bool IsJournaled => !Accepted.IsEmpty || !Changes.IsEmpty;

    /// <summary>Orders or refunds changed otherwise than by events applied (a merge or an unmerge).</summary>
    public bool PurchasesChanged { get; init; }

    /// <summary>Whether it changed orders or refunds, the only things that move the store's population statistics.</summary>
    public bool HasPurchases => PurchasesChanged || Accepted.Any(e => EventTypes.IsPurchase(e.Type));
}
