namespace CustomerGrains.Grains.Storage;

/// <summary>This silo's membership row says it is dead: it must not write, its grains live elsewhere now.</summary>
[GenerateSerializer]
[Alias("CustomerGrains.SiloDeclaredDeadException")]
public sealed class SiloDeclaredDeadException : InvalidOperationException
{
    public SiloDeclaredDeadException()
    {
    }

    public SiloDeclaredDeadException(string silo)
        : base($"silo {silo} has been declared dead; its journal writes are refused")
    {
    }

    public SiloDeclaredDeadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
