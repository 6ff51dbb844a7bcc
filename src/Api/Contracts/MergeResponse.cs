namespace CustomerGrains.Api.Contracts;

/// <summary>
/// <c>POST …/customers/{id}/merges</c> and <c>DELETE …/customers/{id}/merges/{secondary}</c>: the customer the id resolves
/// to (the primary) and the ids merged into it afterwards.
/// </summary>
public sealed record MergeResponse(string CustomerId, IReadOnlyList<string> MergedIds);
