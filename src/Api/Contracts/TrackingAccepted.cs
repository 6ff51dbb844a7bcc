namespace CustomerGrains.Api.Contracts;

/// <summary>What the Segment tracking API answers, plus our own counts.</summary>
public sealed record TrackingAccepted(bool Success, int Accepted, int Duplicates);
