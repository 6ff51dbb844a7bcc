using System.Collections.Immutable;
using System.Globalization;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The customer's decisions, pure: state + events + catalog + population + now → the new state and what changed.
/// No I/O and no bookkeeping of delivery: the grain journals what these return, then tells the shards.
/// </summary>
public static class CustomerDecisions
{
    /// <summary>
    /// Applies the events not seen before (out-of-order events are fine: aggregates do not depend on arrival order),
    /// prunes what the retention horizon evicts and decides the segments whose inputs changed. A suppressed customer
    /// (erased, and not lifted since) applies nothing and reports every event as refused.
    /// </summary>
    public static CustomerDecision Record(
        CustomerState state,
        string customerId,
        ImmutableArray<CustomerEvent> events,
        CompiledCatalog catalog,
        PopulationThresholds population,
        DateTimeOffset now,
        BehaviourOptions behaviour,
        EvaluationMemo? memo = null)
    {
        if (state.SuppressedAt is not null)
        {
            return CustomerDecision.Nothing with { Suppressed = [.. events.Select(e => e.Id)] };
        }

        var accepted = ImmutableArray.CreateBuilder<CustomerEvent>(events.Length);
        var changes = new StateChanges();
        foreach (var sent in events)
        {
            // From an Api of an older build during an upgrade, an event's properties arrive in the old field.
            var e = sent.Current();
            if (CustomerBehaviour.Apply(state, e, behaviour.DefaultPhoneRegion))
            {
                CustomerMerge.ApplyToConstituent(state, e, behaviour.DefaultPhoneRegion);
                accepted.Add(e);
                changes.Accepted(e);
            }
        }

        if (accepted.Count == 0)
        {
            return CustomerDecision.Nothing;
        }

        if (CustomerBehaviour.Prune(state, now, behaviour, catalog.WindowDays))
        {
            changes.Evicted();
        }

        CustomerMerge.Prune(state, now, behaviour, catalog.WindowDays);

        var cause = $"event:{accepted.MaxBy(e => e.Timestamp)!.Id}";
        var outcome = SegmentEvaluation.Evaluate(state, customerId, catalog, now, _ => cause, population, changes, memo);
        return new CustomerDecision(accepted.DrainToImmutable(), outcome.Decided, Earliest(outcome.NextDeadline, PurgeAt(state, population)));
    }

    /// <summary>
    /// Nothing of the customer changed since the last pass: time moved (a deadline came) or the catalog did. A
    /// customer that does not exist decides nothing.
    /// </summary>
    public static CustomerDecision Reevaluate(
        CustomerState state,
        string customerId,
        CompiledCatalog catalog,
        PopulationThresholds population,
        DateTimeOffset now,
        Func<SegmentDefinition, string> cause,
        EvaluationMemo? memo = null)
    {
        if (!state.Exists)
        {
            return CustomerDecision.Nothing;
        }

        var outcome = SegmentEvaluation.Evaluate(state, customerId, catalog, now, cause, population, StateChanges.None, memo);
        return new CustomerDecision([], outcome.Decided, Earliest(outcome.NextDeadline, PurgeAt(state, population)));
    }

    /// <summary>
    /// When the store's retention purges this customer (no activity for its inactive days); null: never. It is one
    /// of the customer's deadlines, so the deadline shards wake it then, a bounded number at a time.
    /// </summary>
    public static DateTimeOffset? PurgeAt(CustomerState state, PopulationThresholds population) =>
        state.Exists ? population.Retention?.PurgeAt(state.LastSeen) : null;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>A deadline's cause, as memberships report it: <c>deadline:2026-11-23T10:00:00.000Z</c>.</summary>
    public static string DeadlineCause(DateTimeOffset due) =>
        $"deadline:{due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// An erasure (cause <c>erased</c>) or a purge (<c>purged</c>): the customer leaves every segment it is in, each leave
    /// numbered on from its last decision.
    /// </summary>
    public static ImmutableArray<MembershipDecision> Erase(CustomerState state, string customerId, DateTimeOffset now, string cause = "erased")
    {
        var leaves = ImmutableArray.CreateBuilder<MembershipDecision>(state.Memberships.Count);
        foreach (var (key, membership) in state.Memberships)
        {
            leaves.Add(new MembershipDecision(key, new MembershipChange(customerId, membership.SegmentUid, false, now, cause, ++state.Decisions)));
        }

        return leaves.DrainToImmutable();
    }
}
