using System.Collections.Immutable;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>What one segment's rule reads, in the terms of a customer's state (<see cref="StateChanges"/>).</summary>
public sealed record SegmentInputs(StateParts Parts, ImmutableArray<string> EventTypes, ImmutableArray<string> Segments)
{
    public static SegmentInputs Of(RuleInputs inputs)
    {
        var parts = inputs.Profile ? StateParts.Profile : StateParts.None;
        foreach (var trait in inputs.Traits)
        {
            parts |= CustomerFacts.PartsRead(trait);
        }

        // Time its deadline does not announce moves the answer between any two passes: evaluate it in every one.
        return new SegmentInputs(inputs.UnannouncedTime ? StateParts.Everything : parts, inputs.EventTypes, inputs.Segments);
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
}
