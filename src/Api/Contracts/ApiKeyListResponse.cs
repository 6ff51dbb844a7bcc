namespace CustomerGrains.Api.Contracts;

public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Items);
