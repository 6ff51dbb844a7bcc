using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// An activation's memory of its last evaluation pass: the catalog, state and population statistics it was decided
/// against, and each segment's own next deadline. With it the next pass evaluates only the segments whose inputs
/// changed, whose deadline came or that read a segment whose membership just changed; the others keep their answer
/// and their deadline. Kept in memory only: a new activation starts with a pass over every segment.
/// </summary>
public sealed class EvaluationMemo
{
    internal CompiledCatalog? Catalog { get; set; }

    internal CustomerState? State { get; set; }

    internal PopulationThresholds? Population { get; set; }

    /// <summary>When the last pass ran: an answer kept until a deadline holds from then on, not before (a clock stepped back).</summary>
    internal long Now { get; set; }

    /// <summary><see cref="SegmentEvaluation.InServing"/> for this state and catalog, made once.</summary>
    internal Func<string, bool>? InSegment { get; set; }

    /// <summary>Per segment in catalog order, the UTC ticks of its next deadline; <see cref="long.MaxValue"/> for none.</summary>
    internal long[] Deadlines { get; set; } = [];

    internal bool Covers(CustomerState state, CompiledCatalog catalog, DateTimeOffset now) =>
        ReferenceEquals(State, state) && ReferenceEquals(Catalog, catalog) && now.UtcTicks >= Now;
}
