using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The pure membership decision: evaluate every compiled segment against the customer and record the
/// changes (and only the changes) in its memberships and outbox.
/// </summary>
public static class SegmentEvaluation
{
    public static int Evaluate(
        CustomerState state,
        string customerId,
        CompiledCatalog catalog,
        DateTimeOffset now,
        Func<SegmentDefinition, string> cause,
        Classification.PopulationThresholds? population = null)
    {
        // Catalog order puts every segment after the ones it reads, so they are already decided here.
        var facts = new CustomerFacts(state, InServing(state, catalog), population);
        var changes = 0;

        // Memberships of versions no longer in the catalog (replaced or deleted) are simply forgotten:
        // their shards and rows went with them.
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
            state.Outbox.Remove(key);
        }

        foreach (var segment in catalog.Segments)
        {
            var definition = segment.Definition;
            var key = segment.Key;
            var isMember = segment.Rule.Evaluate(facts, now);
            var wasMember = state.Memberships.ContainsKey(key);
            if (isMember == wasMember)
            {
                continue;
            }

            changes++;
            if (isMember)
            {
                var membership = new Membership(definition.Uid, now, cause(definition));
                state.Memberships[key] = membership;
                state.Outbox[key] = new MembershipChange(customerId, definition.Uid, true, now, membership.Cause);
            }
            else
            {
                state.Memberships.Remove(key);
                state.Outbox[key] = new MembershipChange(customerId, definition.Uid, false, now, cause(definition));
            }
        }

        return changes;
    }

    /// <summary><c>in_segment(id)</c> reads the serving version of that segment.</summary>
    public static Func<string, bool> InServing(CustomerState state, CompiledCatalog catalog) =>
        id => catalog.Find(id) is { } serving && state.Memberships.ContainsKey(serving.Key);
}
