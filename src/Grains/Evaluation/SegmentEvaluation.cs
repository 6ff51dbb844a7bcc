using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// The pure membership decision: evaluate the compiled segments against the customer, record the changes (and
/// only the changes) in its memberships and return them, numbered; then, against the memberships just decided, the
/// customer's next deadline over every segment. With a memo of the previous pass, only the segments that can have changed are
/// evaluated; the decisions are the same as a pass over every segment.
/// </summary>
public static class SegmentEvaluation
{
    /// <summary>Whether two copies of a store's population carry the same models (a copy that crossed silos is equal, not the same object).</summary>
    private static bool SameModels(Classification.PopulationThresholds? before, Classification.PopulationThresholds? after)
    {
        if (!Equals(before?.Models, after?.Models))
        {
            return false;
        }

        var (a, b) = (before?.Lookalikes, after?.Lookalikes);
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        foreach (var (id, lookalike) in a ?? [])
        {
            if (b is null || !b.TryGetValue(id, out var other) || other.TrainedAt != lookalike.TrainedAt || other.Population != lookalike.Population)
            {
                return false;
            }
        }

        return true;
    }

    public static EvaluationOutcome Evaluate(
        CustomerState state,
        string customerId,
        CompiledCatalog catalog,
        DateTimeOffset now,
        Func<SegmentDefinition, string> cause,
        Classification.PopulationThresholds? population = null,
        StateChanges? changes = null,
        EvaluationMemo? memo = null)
    {
        var segments = catalog.Segments;
        changes ??= StateChanges.All;
        var everything = memo is null || !memo.Covers(state, catalog, now);
        if (everything)
        {
            ForgetStale(state, catalog);
        }

        // Each segment's own next deadline: remembered in the memo, or only for this pass without one.
        Span<long> deadlines = memo is null
            ? (segments.Length <= 128 ? stackalloc long[segments.Length] : new long[segments.Length])
            : default;
        if (memo is not null)
        {
            if (everything)
            {
                memo.Catalog = catalog;
                memo.State = state;
                memo.Deadlines = new long[segments.Length];
                memo.InSegment = InServing(state, catalog);
            }
            else if (!ReferenceEquals(memo.Population, population))
            {
                // The statistics move with every report; the models only at a refit, so segments on predictions are
                // not decided again each time a silo re-reads its store's population.
                changes.Changed(StateParts.Population);
                if (!SameModels(memo.Population, population))
                {
                    changes.Changed(StateParts.Models);
                }
            }

            memo.Population = population;
            memo.Now = now.UtcTicks;
            deadlines = memo.Deadlines;
        }

        // Catalog order puts every segment after the ones it reads, so they are already decided here. One facts
        // for the whole pass: what it computes once (revenue, order span, lifecycle) does not depend on
        // memberships, and in_segment reads them live.
        var facts = new CustomerFacts(state, memo?.InSegment ?? InServing(state, catalog), population);
        Span<bool> evaluated = segments.Length <= 256 ? stackalloc bool[segments.Length] : new bool[segments.Length];
        List<string>? flipped = null;
        ImmutableArray<MembershipDecision>.Builder? decided = null;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (!everything && !MayHaveChanged(segment, deadlines[i], changes, flipped, now))
            {
                continue;
            }

            evaluated[i] = true;
            var definition = segment.Definition;
            var key = segment.Key;
            var isMember = segment.Rule.Evaluate(facts, now);
            var wasMember = state.Memberships.ContainsKey(key);
            if (isMember == wasMember)
            {
                continue;
            }

            // in_segment reads serving versions: the segments after this one that read it must be decided again.
            if (!definition.Pending)
            {
                (flipped ??= []).Add(definition.Id);
            }

            var why = cause(definition);
            if (isMember)
            {
                state.Memberships[key] = new Membership(definition.Uid, now, why);
            }
            else
            {
                state.Memberships.Remove(key);
            }

            (decided ??= ImmutableArray.CreateBuilder<MembershipDecision>()).Add(
                new MembershipDecision(key, new MembershipChange(customerId, definition.Uid, isMember, now, why, ++state.Decisions)));
        }

        // Every membership is decided now, as a pass of its own would see them afterwards.
        var next = long.MaxValue;
        for (var i = 0; i < segments.Length; i++)
        {
            if (evaluated[i])
            {
                deadlines[i] = segments[i].Rule.NextDeadline(facts, now) is { } at ? at.UtcTicks : long.MaxValue;
            }

            next = Math.Min(next, deadlines[i]);
        }

        return new EvaluationOutcome(
            decided?.DrainToImmutable() ?? [], next == long.MaxValue ? null : new DateTimeOffset(next, TimeSpan.Zero));
    }

    /// <summary><c>in_segment(id)</c> reads the serving version of that segment.</summary>
    public static Func<string, bool> InServing(CustomerState state, CompiledCatalog catalog) =>
        id => catalog.Find(id) is { } serving && state.Memberships.ContainsKey(serving.Key);

    /// <summary>
    /// A segment keeps its answer until its deadline unless something it reads changed: an event of a type it
    /// counts, a part of the state it reads, or the membership of a segment it names.
    /// </summary>
    private static bool MayHaveChanged(CompiledSegment segment, long deadline, StateChanges changes, List<string>? flipped, DateTimeOffset now)
    {
        if (deadline <= now.UtcTicks || segment.Inputs.Reads(changes))
        {
            return true;
        }

        if (flipped is not null)
        {
            foreach (var read in segment.Inputs.Segments)
            {
                if (flipped.Contains(read))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Memberships of versions no longer in the catalog (replaced or deleted) are simply forgotten: their shards and
    /// rows went with them (the outbox drops its undelivered changes for them when it next delivers).
    /// </summary>
    private static void ForgetStale(CustomerState state, CompiledCatalog catalog)
    {
        List<string>? stale = null;
        foreach (var key in state.Memberships.Keys)
        {
            if (catalog.FindByKey(key) is null)
            {
                (stale ??= []).Add(key);
            }
        }

        foreach (var key in stale ?? [])
        {
            state.Memberships.Remove(key);
        }
    }
}
