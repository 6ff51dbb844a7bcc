using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Stages;

/// <summary>
/// What a customer's grain queued for one request: the journal entry (events applied, member rows staged), its new
/// deadline and purchase row if they changed; with the state, outbox and changes, to stage them again.
/// </summary>
public sealed record Decided(
    string Customer,
    JournalEntry Entry,
    DeadlineChange? Deadline,
    PurchaseRow? Purchases,
    CustomerState State,
    MembershipOutbox Outbox,
    ImmutableArray<MembershipDecision> Changes);
