namespace CustomerGrains.Contracts.Validation;

/// <summary>
/// One reason a request was rejected; <see cref="Index"/> is the event's position when it applies, <see cref="Position"/>
/// the 0-based character offset in a rule's text where it went wrong (only for a rule given as text).
/// </summary>
public sealed record FieldError(int? Index, string Field, string Reason)
{
    public int? Position { get; init; }
}
