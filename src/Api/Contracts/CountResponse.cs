namespace CustomerGrains.Api.Contracts;

public sealed record CountResponse(long Count, DateTimeOffset AsOf);
