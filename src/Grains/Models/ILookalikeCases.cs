using System.Collections.Immutable;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// How a lookalike training reaches the store's customers: each describes itself (null: it does not exist). Defined
/// here and implemented by the customers' room (docs/ARCHITECTURE.md, ports).
/// </summary>
public interface ILookalikeCases
{
    Task<LookalikeCase?[]> DescribeAsync(string store, IReadOnlyList<string> customerIds, string seed, ImmutableArray<string> features);

    /// <summary>Each customer's score under a lookalike model now; null when it is outside the model's population (or does not exist).</summary>
    Task<double?[]> ScoreAsync(string store, IReadOnlyList<string> customerIds, string lookalike);
}
