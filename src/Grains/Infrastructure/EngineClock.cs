namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// The engine's clock is a keyed <see cref="TimeProvider"/>: Orleans itself resolves the unkeyed one for
/// its own timeouts, and tests that move the engine's time must not expire Orleans' messages.
/// </summary>
public static class EngineClock
{
    public const string Key = "customergrains";
}
