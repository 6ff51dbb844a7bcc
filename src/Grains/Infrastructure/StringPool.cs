namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// Shared instances of the short strings that every resident customer repeats (event types, property names,
/// small values such as a category): each event arrives with its own copies, parsed from JSON or an Orleans
/// message, and a customer keeps hundreds of them. A fixed table of slots indexed by hash, each holding the
/// last string that landed there: its size never grows whatever the input, strings that keep recurring stay
/// in it, and one-off strings (ids, emails, hostile junk) only take a slot until the next string that hashes
/// there. Thread-safe without locks: a slot is one reference, and a race only costs a missed share.
/// </summary>
public sealed class StringPool(int slots, int maxLength)
{
    /// <summary>Event types and property names: few, and all of them recurring.</summary>
    public static readonly StringPool Names = new(4096, 64);

    /// <summary>Short text values of retained events' properties.</summary>
    public static readonly StringPool Values = new(8192, 24);

    private readonly string?[] _slots = new string?[RoundUp(slots)];

    /// <summary>The pooled instance equal to <paramref name="text"/>, or <paramref name="text"/> itself (now pooled, if short enough).</summary>
    public string Intern(string text)
    {
        if (text.Length > maxLength)
        {
            return text;
        }

        var slot = (uint)text.GetHashCode() & (uint)(_slots.Length - 1);
        var pooled = Volatile.Read(ref _slots[slot]);
        if (pooled is not null && string.Equals(pooled, text, StringComparison.Ordinal))
        {
            return pooled;
        }

        Volatile.Write(ref _slots[slot], text);
        return text;
    }

    private static int RoundUp(int slots) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(slots, 1));
}
