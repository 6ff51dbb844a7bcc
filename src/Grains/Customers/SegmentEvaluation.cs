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
        var facts = new CustomerFacts(
            state,
            id => state.Memberships.TryGetValue(id, out var m) && catalog.Find(id)?.Definition.Uid == m.SegmentUid,
            population);
        var changes = 0;
        foreach (var segment in catalog.Segments)
        {
            var definition = segment.Definition;
            var isMember = segment.Rule.Evaluate(facts, now);
            var wasMember = state.Memberships.TryGetValue(definition.Id, out var current) && current.SegmentUid == definition.Uid;
            if (isMember == wasMember)
            {
                continue;
            }

            changes++;
            if (isMember)
            {
                var membership = new Membership(definition.Uid, now, cause(definition));
                state.Memberships[definition.Id] = membership;
                state.Outbox[definition.Id] = new MembershipChange(customerId, definition.Uid, true, now, membership.Cause);
            }
            else
            {
                state.Memberships.Remove(definition.Id);
                state.Outbox[definition.Id] = new MembershipChange(customerId, definition.Uid, false, now, cause(definition));
            }
        }

        return changes;
    }
}
