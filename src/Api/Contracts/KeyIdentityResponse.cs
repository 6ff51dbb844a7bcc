namespace CustomerGrains.Api.Contracts;

/// <summary>What the presented key is: the one store it belongs to and its scopes (never the key itself).</summary>
public sealed record KeyIdentityResponse(string Store, IReadOnlyList<string> Scopes);
