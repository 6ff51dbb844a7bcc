using System.Text;

namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// A hash that never changes between processes or releases (unlike <see cref="string.GetHashCode()"/>):
/// shard assignment and stored id fingerprints depend on it.
/// </summary>
public static class IdHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>FNV-1a over the UTF-8 bytes, with a final avalanche so that low bits spread well.</summary>
    public static ulong Of(string text)
    {
        var hash = OffsetBasis;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(text, buffer)]
            : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>The bucket in [0, buckets) that <paramref name="text"/> falls in.</summary>
    public static int Bucket(string text, int buckets) => (int)(Of(text) % (ulong)buckets);
}
