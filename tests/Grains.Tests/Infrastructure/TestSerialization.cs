using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CustomerGrains.Grains.Tests.Infrastructure;

/// <summary>The engine's serializer outside a silo, and the stored bytes kept as test resources (Customers/Resources).</summary>
internal static class TestSerialization
{
    public static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    public static byte[] Resource(string name)
    {
        using var stream = typeof(TestSerialization).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing resource {name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
