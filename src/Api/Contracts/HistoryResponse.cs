namespace CustomerGrains.Api.Contracts;

/// <summary>
/// A page of a customer's membership history, newest first; pass <c>nextCursor</c> back as <c>cursor</c>. Changes before
/// <c>heldSince</c> may be gone (the change feed's retention): the customer's current segments, with when it entered
/// each, summarise them.
/// </summary>
public sealed record HistoryResponse(string CustomerId, IReadOnlyList<HistoryItemResponse> Items, string? NextCursor, DateTimeOffset HeldSince);

/// <summary>One entry (<c>kind</c> entered) to or exit (exited) from a segment: when, why, and the version of its rule (null: one no longer in the catalog).</summary>
public sealed record HistoryItemResponse(string Segment, long? Version, string Kind, DateTimeOffset At, string Cause)
{
    public static HistoryItemResponse From(Grains.Customers.HistoryItem item) =>
        new(item.Segment, item.Version, item.Entered ? "entered" : "exited", item.At, item.Cause);
}
