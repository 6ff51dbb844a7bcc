namespace CustomerGrains.Api.Contracts;

public sealed record MembersResponse(IReadOnlyList<MemberResponse> Items, string? NextCursor);
