using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>A definition with its rule compiled once per version, shared by every customer on the silo.</summary>
public sealed record CompiledSegment(SegmentDefinition Definition, CompiledRule Rule)
{
    /// <summary>
    /// <see cref="SegmentDefinition.Key"/>, formatted once: every evaluation of every customer looks memberships
    /// up by it, and formatting the Guid each time was the largest source of garbage on the ingest path.
    /// </summary>
    public string Key { get; } = Definition.Key;

    /// <summary>What the rule reads of a customer, so that a pass can skip it when none of that changed.</summary>
    public SegmentInputs Inputs { get; } = SegmentInputs.Of(Rule.Inputs);
}
