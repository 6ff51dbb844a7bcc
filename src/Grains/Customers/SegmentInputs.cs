using System.Collections.Immutable;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Customers;

/// <summary>What one segment's rule reads, in the terms of a customer's state (<see cref="StateChanges"/>).</summary>
public sealed record SegmentInputs(StateParts Parts, ImmutableArray<string> EventTypes, TimeSpan LongestWindow, ImmutableArray<string> Segments)
{
    public static SegmentInputs Of(RuleInputs inputs)
    {
        var parts = inputs.Profile ? StateParts.Profile : StateParts.None;
        foreach (var trait in inputs.Traits)
        {
            parts |= CustomerFacts.PartsRead(trait);
        }

        // Time its deadline does not announce moves the answer between any two passes: evaluate it in every one.
        return new SegmentInputs(inputs.UnannouncedTime ? StateParts.Everything : parts, inputs.EventTypes, inputs.LongestWindow, inputs.Segments);
    }

    /// <summary>Whether what changed can change this segment's answer.</summary>
    public bool Reads(StateChanges changes)
    {
        if ((Parts & changes.Parts) != 0 || Parts == StateParts.Everything || changes.Parts == StateParts.Everything)
        {
            return true;
        }

        foreach (var type in EventTypes)
        {
            if (changes.Touches(type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a window of this rule reached back past the evicted detail at <paramref name="since"/>: its counts and
    /// sums were then answered from daily totals, which change at day boundaries no deadline announces, and turn to
    /// the retained events when the window moves past the eviction. Eviction only grows the evicted past, and that
    /// counts as a change of everything; so a window that did not reach it at the last pass does not now.
    /// </summary>
    public bool ReadsEvicted(CustomerState state, DateTimeOffset since) =>
        LongestWindow > TimeSpan.Zero && state.EvictedThrough is { } evicted && evicted > since - LongestWindow;
}
