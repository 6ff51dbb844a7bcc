using System.Text.Json.Serialization;

namespace CustomerGrains.Contracts.Responses;

/// <summary>
/// The answer to an events POST, sent once the events are durable: how many were applied, how many had been seen
/// before, and — only when there are any — the ids of those refused because their customer was erased and its id is
/// suppressed.
/// </summary>
public sealed record EventsAccepted(
    int Accepted,
    int Duplicates,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Suppressed = null);
