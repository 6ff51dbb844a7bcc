using System.Buffers.Binary;

namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Event-id claims as <c>cg_event_ids</c> stores them: 16 bytes each, the event id's fingerprint then the claiming
/// customer's (both <see cref="Infrastructure.IdHash"/>), little-endian. A batch's claims are grouped per store, one row each.
/// </summary>
public static class EventClaims
{
    private const int Size = 2 * sizeof(ulong);

    /// <summary>The claims of the batch's entries (their applied events' ids, for their customers), one blob per store.</summary>
    public static Dictionary<string, byte[]> Of(IReadOnlyList<JournalWrite> batch)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var write in batch)
        {
            if (write.Entry is { EventIds.IsDefaultOrEmpty: false } entry)
            {
                counts[write.Store] = counts.GetValueOrDefault(write.Store) + entry.EventIds.Length;
            }
        }

        var blobs = new Dictionary<string, byte[]>(counts.Count, StringComparer.Ordinal);
        var filled = new Dictionary<string, int>(counts.Count, StringComparer.Ordinal);
        foreach (var write in batch)
        {
            if (write.Entry is not { EventIds.IsDefaultOrEmpty: false } entry)
            {
                continue;
            }

            if (!blobs.TryGetValue(write.Store, out var blob))
            {
                blobs[write.Store] = blob = new byte[counts[write.Store] * Size];
            }

            var at = filled.GetValueOrDefault(write.Store);
            var owner = Infrastructure.IdHash.Of(write.CustomerId);
            foreach (var id in entry.EventIds)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(at), id);
                BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(at + sizeof(ulong)), owner);
                at += Size;
            }

            filled[write.Store] = at;
        }

        return blobs;
    }

    /// <summary>Calls <paramref name="claim"/> with each (event id, owner) fingerprint pair of a stored blob.</summary>
    public static void Read(ReadOnlySpan<byte> blob, Action<ulong, ulong> claim)
    {
        if (blob.Length % Size != 0)
        {
            throw new FormatException($"Event-id claims are {Size} bytes each; {blob.Length} bytes is not a whole number of them.");
        }

        for (var at = 0; at < blob.Length; at += Size)
        {
            claim(BinaryPrimitives.ReadUInt64LittleEndian(blob[at..]), BinaryPrimitives.ReadUInt64LittleEndian(blob[(at + sizeof(ulong))..]));
        }
    }
}
