namespace CustomerGrains.Contracts.Responses;

/// <summary>The answer to an events POST, sent once the events are durable.</summary>
public sealed record EventsAccepted(int Accepted, int Duplicates);
