namespace CustomerGrains.Api.Contracts;

/// <summary>How many customers moved between the listed segments over [from, to]: one item per ordered pair.</summary>
public sealed record FlowsResponse(DateTimeOffset From, DateTimeOffset To, DateTimeOffset AsOf, IReadOnlyList<string> Segments, IReadOnlyList<FlowResponse> Flows);

/// <summary>Customers in <c>from</c> and not in <c>to</c> at the period's start, and in <c>to</c> and not in <c>from</c> at its end.</summary>
public sealed record FlowResponse(string From, string To, long Customers);
