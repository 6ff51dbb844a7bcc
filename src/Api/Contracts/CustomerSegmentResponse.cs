namespace CustomerGrains.Api.Contracts;

public sealed record CustomerSegmentResponse(string Id, DateTimeOffset EnteredAt, string Cause);
