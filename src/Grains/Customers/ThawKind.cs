namespace CustomerGrains.Grains.Customers;

/// <summary>What a frozen customer hears of the outcome (<see cref="Thaw"/>).</summary>
[GenerateSerializer, Alias("cg.ThawKind")]
public enum ThawKind
{
    Unchanged = 0,
    Committed = 1,
    Unknown = 2,
}
