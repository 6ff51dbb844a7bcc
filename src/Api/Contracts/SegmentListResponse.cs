namespace CustomerGrains.Api.Contracts;

public sealed record SegmentListResponse(IReadOnlyList<SegmentResponse> Items);
