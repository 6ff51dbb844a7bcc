using System.Collections.Immutable;
using System.Globalization;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.TestSerialization;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>The compact collections of a resident customer answer exactly as the collections they replace.</summary>
public sealed class CompactStateTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(1000)]
    public void Fingerprints_are_added_once_and_found_like_a_hash_set_finds_them(int count)
    {
        var random = new Random(count);
        var expected = new HashSet<ulong>();
        var set = new FingerprintSet();
        for (var i = 0; i < count * 2; i++)
        {
            // Repeats, zero and neighbours as well as random values.
            var fingerprint = (i % 7) switch
            {
                0 => 0UL,
                1 => (ulong)(i / 7),
                2 when expected.Count > 0 => expected.First(),
                _ => (ulong)random.NextInt64(long.MinValue, long.MaxValue),
            };
            Assert.Equal(expected.Add(fingerprint), set.Add(fingerprint));
        }

        Assert.Equal(expected.Count, set.Count);
        Assert.Equal(expected.Order(), set.Order());
        Assert.All(expected, f => Assert.True(set.Contains(f)));
        Assert.Equal(expected.Contains(12345678901UL), set.Contains(12345678901UL));

        var loaded = Serializer.Deserialize<FingerprintSet>(Serializer.SerializeToArray(set))!;
        Assert.Equal(expected.Order(), loaded.Order());
        Assert.Equal(expected.Count == 0, loaded.Add(expected.FirstOrDefault()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(64)]
    public void Event_properties_find_every_name_and_only_those(int count)
    {
        var source = Enumerable.Range(0, count)
            .ToImmutableDictionary(i => string.Create(CultureInfo.InvariantCulture, $"p{(i * 37) % 101}"), i => PropertyValue.Of(i), StringComparer.Ordinal);

        var properties = EventProperties.From(source);

        Assert.Equal(count, properties.Count);
        Assert.Equal(source.Keys.Order(StringComparer.Ordinal), properties.Select(p => p.Key));
        foreach (var (name, value) in source)
        {
            Assert.True(properties.TryGetValue(name, out var found));
            Assert.Equal(value, found);
        }

        Assert.False(properties.TryGetValue("p", out var missing));
        Assert.Equal(PropertyValue.Null, missing);
        Assert.False(properties.TryGetValue("P0", out _));
    }

    [Fact]
    public void Events_share_property_sets_only_when_equal_bit_for_bit()
    {
        static EventProperties Of(double revenue) =>
            EventProperties.From(ImmutableDictionary<string, PropertyValue>.Empty.Add("revenue", PropertyValue.Of(revenue)).Add("currency", PropertyValue.Of("EUR")));

        Assert.True(Of(0.0).TryGetValue("revenue", out var zero));
        Assert.True(Of(-0.0).TryGetValue("revenue", out var negativeZero));
        Assert.True(Of(20.5).TryGetValue("revenue", out var twenty));

        Assert.Equal("0", zero.AsText());
        Assert.Equal("-0", negativeZero.AsText());
        Assert.Equal(20.5, twenty.AsNumber());
    }

    [Fact]
    public void Pooled_strings_are_equal_to_what_came_in_and_long_ones_are_left_alone()
    {
        var first = new string("product_viewed".AsSpan());
        var second = new string("product_viewed".AsSpan());
        var long1 = new string('x', 100);

        var pool = new StringPool(16, 64);

        Assert.Same(first, pool.Intern(first));
        Assert.Same(first, pool.Intern(second));
        Assert.Same(long1, pool.Intern(long1));
        Assert.Same(long1, pool.Intern(long1));
        Assert.NotSame(long1, pool.Intern(new string('x', 100)));
    }
}
