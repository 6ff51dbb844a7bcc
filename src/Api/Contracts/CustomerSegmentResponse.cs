namespace CustomerGrains.Api.Contracts;

/// <summary>A segment the customer is in, since when, why, and whether it is in the segment's control group (<c>holdout</c>).</summary>
public sealed record CustomerSegmentResponse(string Id, DateTimeOffset EnteredAt, string Cause, bool Holdout);
