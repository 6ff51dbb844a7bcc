namespace CustomerGrains.Api.Contracts;

/// <summary>A page of a ranking: customers with the value they are ranked by; pass <c>nextCursor</c> back as <c>cursor</c>.</summary>
public sealed record RankingResponse(string By, string Order, string? Segment, IReadOnlyList<RankedCustomerResponse> Items, string? NextCursor);

public sealed record RankedCustomerResponse(string CustomerId, double Value);
