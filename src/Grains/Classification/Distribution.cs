using System.Collections.Immutable;

namespace CustomerGrains.Grains.Classification;

/// <summary>One dimension of a population, as sorted keys with the number of customers below each.</summary>
[GenerateSerializer, Immutable, Alias("cg.Distribution")]
public sealed record Distribution(
    [property: Id(0)] ImmutableArray<int> Keys,
    [property: Id(1)] ImmutableArray<long> Below,
    [property: Id(2)] long Total)
{
    public static Distribution From(Dictionary<int, long> histogram)
    {
        var keys = ImmutableArray.CreateBuilder<int>();
        var below = ImmutableArray.CreateBuilder<long>();
        long seen = 0;
        foreach (var (key, count) in histogram.Where(e => e.Value > 0).OrderBy(e => e.Key))
        {
            keys.Add(key);
            below.Add(seen);
            seen += count;
        }

        return new Distribution(keys.ToImmutable(), below.ToImmutable(), seen);
    }

    /// <summary>Share of the population strictly below <paramref name="value"/>.</summary>
    public double ShareBelow(int value) => Total == 0 ? 0 : (double)CountBelow(value) / Total;

    /// <summary>Share of the population strictly above <paramref name="value"/>.</summary>
    public double ShareAbove(int value) => Total == 0 ? 0 : (double)(Total - CountBelow(value + 1)) / Total;

    private long CountBelow(int value)
    {
        var index = Keys.BinarySearch(value);
        if (index < 0)
        {
            index = ~index;
        }

        return index < Keys.Length ? Below[index] : Total;
    }
}
