using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The pure membership decision: evaluate every compiled segment against the customer and record the
/// changes (and only the changes) in its memberships and outbox; then, against the memberships just decided,
/// the customer's next deadline over every segment.
/// </summary>
public static class SegmentEvaluation
{
    public static EvaluationOutcome Evaluate(
        CustomerState state,
        string customerId,
        CompiledCatalog catalog,
        DateTimeOffset now,
        Func<SegmentDefinition, string> cause,
        Classification.PopulationThresholds? population = null)
    {
        // Catalog order puts every segment after the ones it reads, so they are already decided here. One facts
        // for the whole pass: what it computes once (revenue, order span, lifecycle) does not depend on
        // memberships, and in_segment reads them live.
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

        if (stale is not null)
        {
            foreach (var key in stale)
            {
                state.Memberships.Remove(key);
                state.Outbox.Remove(key);
            }
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
                state.Outbox[key] = new MembershipChange(customerId, definition.Uid, true, now, membership.Cause, ++state.Decisions);
            }
            else
            {
                state.Memberships.Remove(key);
                state.Outbox[key] = new MembershipChange(customerId, definition.Uid, false, now, cause(definition), ++state.Decisions);
            }
        }

        // Every membership is decided now, as a pass of its own would see them afterwards.
        DateTimeOffset? next = null;
        foreach (var segment in catalog.Segments)
        {
            if (segment.Rule.NextDeadline(facts, now) is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        return new EvaluationOutcome(changes, next);
    }

    /// <summary><c>in_segment(id)</c> reads the serving version of that segment.</summary>
    public static Func<string, bool> InServing(CustomerState state, CompiledCatalog catalog) =>
        id => catalog.Find(id) is { } serving && state.Memberships.ContainsKey(serving.Key);
}
