namespace CustomerGrains.Grains.Customers;

/// <summary>How many events a call applied and how many it had already seen.</summary>
[GenerateSerializer, Immutable, Alias("cg.RecordResult")]
public readonly record struct RecordResult([property: Id(0)] int Accepted, [property: Id(1)] int Duplicates)
{
    public static RecordResult operator +(RecordResult a, RecordResult b) =>
        new(a.Accepted + b.Accepted, a.Duplicates + b.Duplicates);
}
