namespace CustomerGrains.Api.Contracts;

/// <summary>A value sent for a normalised profile trait that could not be read: the trait, what was sent, why, and when it was sent.</summary>
public sealed record RawValueResponse(string Field, object? Value, string Reason, DateTimeOffset At);
