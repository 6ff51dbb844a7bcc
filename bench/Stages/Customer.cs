using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;

namespace CustomerGrains.Stages;

/// <summary>
/// A warm customer as its grain activation holds it (state, evaluation memo, deadline tracker, outbox), with the
/// events one request brings it.
/// </summary>
public sealed record Customer(string Id, CustomerState State, EvaluationMemo Memo, DeadlineTracker Deadline, MembershipOutbox Outbox)
{
    public ImmutableArray<CustomerEvent> Events { get; init; } = [];
}
