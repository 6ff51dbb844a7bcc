namespace CustomerGrains.Api.Contracts;

public sealed record TraitsResponse(
    int Orders,
    double Revenue,
    double? Aov,
    int Refunds,
    DateTimeOffset? FirstOrderAt,
    DateTimeOffset? LastOrderAt,
    DateTimeOffset? FirstSeenAt,
    DateTimeOffset? LastSeenAt,
    long Events,
    IReadOnlyDictionary<string, long> Counts30d);
