namespace CustomerGrains.Api.Contracts;

/// <summary>A store's matching traits: a customer that takes a value of one of them another customer holds is merged into that one.</summary>
public sealed record IdentityResponse(IReadOnlyList<string> MatchTraits);
