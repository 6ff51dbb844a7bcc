using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Evaluation;

namespace CustomerGrains.Grains.Customers;

/// <summary>What a customer's reads answer, pure: the view, a fresh evaluation, a draft rule's verdict.</summary>
public static class CustomerViews
{
    /// <summary>The customer view: profile, traits, classification and the serving segments it is in.</summary>
    public static CustomerView Of(CustomerState state, string customerId, CompiledCatalog catalog, PopulationThresholds population, DateTimeOffset now)
    {
        var memberOf = ImmutableArray.CreateBuilder<CustomerSegment>();
        foreach (var segment in catalog.Segments)
        {
            if (!segment.Definition.Pending && state.Memberships.TryGetValue(segment.Key, out var membership))
            {
                memberOf.Add(new CustomerSegment(segment.Definition.Id, membership.EnteredAt, membership.Cause));
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
            facts.Lookalikes(now));
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

    /// <summary>Whether a draft rule holds for the customer now, reading its stored memberships for in_segment.</summary>
    public static bool Matches(CustomerState state, Rules.CompiledRule rule, CompiledCatalog catalog, PopulationThresholds population, DateTimeOffset now) =>
        rule.Evaluate(new CustomerFacts(state, SegmentEvaluation.InServing(state, catalog), population), now);
}
