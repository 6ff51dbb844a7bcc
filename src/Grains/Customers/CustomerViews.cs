using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Evaluation;

namespace CustomerGrains.Grains.Customers;

/// <summary>What a customer's reads answer, pure: the view, a fresh evaluation, a draft rule's verdict.</summary>
public static class CustomerViews
{
    /// <summary>The customer view: profile, traits, classification and the serving segments it is in.</summary>
    public static CustomerView Of(
        CustomerState state, string store, string customerId, CompiledCatalog catalog, PopulationThresholds population, DateTimeOffset now)
    {
        var memberOf = ImmutableArray.CreateBuilder<CustomerSegment>();
        foreach (var segment in catalog.Segments)
        {
            if (!segment.Definition.Pending && state.Memberships.TryGetValue(segment.Key, out var membership))
            {
                var id = segment.Definition.Id;
                memberOf.Add(new CustomerSegment(
                    id, membership.EnteredAt, membership.Cause, Segments.Holdout.IsControl(store, id, customerId, segment.Definition.Holdout)));
            }
        }

        var traits = CustomerBehaviour.ComputeTraits(state, now);
        var facts = new CustomerFacts(state, population: population);
        return new CustomerView(
            customerId,
            state.Profile.ToImmutableDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal),
            traits,
            memberOf.DrainToImmutable(),
            Lifecycle.Of(traits.FirstOrderAt, traits.LastOrderAt, now, population.Settings),
            facts.Class,
            facts.Prediction(now),
            facts.Lookalikes(now),
            [.. (state.RawValues ?? []).OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RawTrait(r.Key, r.Value.Value, r.Value.Reason, r.Value.SetAt))],
            [.. CustomerMerge.Ids(state, customerId).Where(id => id != customerId)]);
    }

    /// <summary>
    /// The serving segments the customer satisfies now, in catalog order, evaluated afresh: a segment read with
    /// in_segment is judged by this evaluation too, not by the stored memberships.
    /// </summary>
    public static ImmutableArray<string> Evaluate(CustomerState state, CompiledCatalog catalog, PopulationThresholds population, DateTimeOffset now)
    {
        var satisfied = new HashSet<string>(StringComparer.Ordinal);
        var facts = new CustomerFacts(state, satisfied.Contains, population);
        foreach (var segment in catalog.Segments)
        {
            if (!segment.Definition.Pending && segment.Rule.Evaluate(facts, now))
            {
                satisfied.Add(segment.Definition.Id);
            }
        }

        return [.. catalog.Segments.Select(s => s.Definition.Id).Where(satisfied.Contains)];
    }

    /// <summary>What the customer looks like to a lookalike training: its features now, and whether it is in the seed's serving version.</summary>
    public static Models.LookalikeCase Describe(CustomerState state, CompiledCatalog catalog, string seed, ImmutableArray<string> features, DateTimeOffset now)
    {
        var inSeed = catalog.Segments.Any(s => s.Definition.Id == seed && !s.Definition.Pending && state.Memberships.ContainsKey(s.Key));
        var subject = LookalikeFeatures.Of(state, now, features.IsDefaultOrEmpty ? null : features.ToHashSet(StringComparer.Ordinal));
        return Models.LookalikeCase.Of(subject, inSeed);
    }

    /// <summary>
    /// Why the customer is or is not in the serving version of <paramref name="segmentId"/> now. The segments its rule
    /// reads with in_segment (and those they read) are judged afresh, in catalog order, as a pass at this instant judges
    /// them before it; <see cref="SegmentExplanation.Member"/> is the stored membership.
    /// </summary>
    public static ExplanationLookup Explain(
        CustomerState state, string customerId, CompiledCatalog catalog, PopulationThresholds population, string segmentId, DateTimeOffset now)
    {
        if (catalog.Find(segmentId) is not { } segment)
        {
            return new ExplanationLookup(SegmentExists: false, null);
        }

        if (!state.Exists)
        {
            return new ExplanationLookup(SegmentExists: true, null);
        }

        // What it reads comes before it in catalog order; walking back collects what those read in turn.
        var segments = catalog.Segments;
        var at = segments.IndexOf(segment);
        var reads = new HashSet<string>(segment.Inputs.Segments, StringComparer.Ordinal);
        for (var i = at - 1; i >= 0; i--)
        {
            if (!segments[i].Definition.Pending && reads.Contains(segments[i].Definition.Id))
            {
                reads.UnionWith(segments[i].Inputs.Segments);
            }
        }

        var satisfied = new HashSet<string>(StringComparer.Ordinal);
        var facts = new CustomerFacts(state, satisfied.Contains, population);
        for (var i = 0; i < at; i++)
        {
            var read = segments[i];
            if (!read.Definition.Pending && reads.Contains(read.Definition.Id) && read.Rule.Evaluate(facts, now))
            {
                satisfied.Add(read.Definition.Id);
            }
        }

        var rule = Rules.RuleExplanation.Explain(segment.Rule, facts, now);
        return new ExplanationLookup(SegmentExists: true, new SegmentExplanation(
            segment.Definition.Id,
            segment.Definition.Version,
            customerId,
            state.Memberships.ContainsKey(segment.Key),
            rule.Result,
            Rules.RuleExplanation.Failing(rule),
            rule,
            now));
    }

    /// <summary>Whether a draft rule holds for the customer now, reading its stored memberships for in_segment.</summary>
    public static bool Matches(CustomerState state, Rules.CompiledRule rule, CompiledCatalog catalog, PopulationThresholds population, DateTimeOffset now) =>
        rule.Evaluate(new CustomerFacts(state, SegmentEvaluation.InServing(state, catalog), population), now);
}
