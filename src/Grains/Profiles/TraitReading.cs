namespace CustomerGrains.Grains.Profiles;

/// <summary>
/// How a profile trait as sent reads: its one normalised form, or why it has none (then the customer keeps what
/// was sent as a raw value with this reason, and the trait does not change).
/// </summary>
public readonly record struct TraitReading(string? Value, string? Reason)
{
    public bool IsRead => Reason is null;

    public static TraitReading Read(string value) => new(value, null);

    public static TraitReading Unreadable(string reason) => new(null, reason);
}
