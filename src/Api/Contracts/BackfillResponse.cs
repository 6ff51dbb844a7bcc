namespace CustomerGrains.Api.Contracts;

public sealed record BackfillResponse(long Evaluated, long Total);
