using System.Collections.Immutable;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// A read of a customer's membership history: its changes (of one segment or all) newest first, from the change at
/// (<see cref="ThroughSeq"/>, <see cref="ThroughIndex"/>) back (null: from the newest), at most <see cref="Limit"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.HistoryQuery")]
public sealed record HistoryQuery(
    [property: Id(0)] string? Segment,
    [property: Id(1)] long? ThroughSeq,
    [property: Id(2)] int ThroughIndex,
    [property: Id(3)] int Limit);

/// <summary>
/// A page of a customer's membership history, newest first; <see cref="NextSeq"/>/<see cref="NextIndex"/>: where the next
/// page starts (null: none). Changes older than <see cref="HeldSince"/> may be gone (the change feed's retention): the
/// customer's current segments, with when it entered each, summarise them.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.MembershipHistory")]
public sealed record MembershipHistory(
    [property: Id(0)] ImmutableArray<HistoryItem> Items,
    [property: Id(1)] long? NextSeq,
    [property: Id(2)] int NextIndex,
    [property: Id(3)] DateTimeOffset HeldSince);

/// <summary>One entry to or exit from a segment's version, when and why (the journal entry <see cref="Seq"/> decided it).</summary>
[GenerateSerializer, Immutable, Alias("cg.HistoryItem")]
public sealed record HistoryItem(
    [property: Id(0)] long Seq,
    [property: Id(1)] int Index,
    [property: Id(2)] string Segment,
    [property: Id(3)] long? Version,
    [property: Id(4)] bool Entered,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string Cause);
