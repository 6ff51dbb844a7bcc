namespace CustomerGrains.Api.Contracts;

public sealed record MemberResponse(string CustomerId, DateTimeOffset EnteredAt, string Cause);
