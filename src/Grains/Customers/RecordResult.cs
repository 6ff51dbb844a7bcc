using System.Collections.Immutable;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// How many events a call applied, how many it had already seen, and the ids of those it refused because their
/// customer was erased and is suppressed (<see cref="Behaviour.CustomerState.SuppressedAt"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RecordResult")]
public readonly record struct RecordResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] ImmutableArray<string> Suppressed = default)
{
    /// <summary>The refused event ids (never default).</summary>
    public ImmutableArray<string> SuppressedIds => Suppressed.IsDefault ? [] : Suppressed;

    public static RecordResult operator +(RecordResult a, RecordResult b) =>
        new(a.Accepted + b.Accepted, a.Duplicates + b.Duplicates,
            a.SuppressedIds.IsEmpty ? b.SuppressedIds : b.SuppressedIds.IsEmpty ? a.SuppressedIds : a.SuppressedIds.AddRange(b.SuppressedIds));
}
