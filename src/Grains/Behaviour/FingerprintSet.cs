using System.Collections;
using System.Numerics;

namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// The fingerprints of every event id a customer has applied: a table of the fingerprints themselves with open
/// addressing, ~11 bytes each at its fullest, where a <see cref="HashSet{T}"/> of them takes ~20 and up to twice
/// that after growing. Slots are picked by a multiplier drawn per process, so ids crafted to collide in one
/// process's table do not collide in another's.
/// </summary>
[GenerateSerializer, Alias("cg.FingerprintSet")]
public sealed class FingerprintSet : IReadOnlyCollection<ulong>
{
    private const int SmallestTable = 4;

    private static readonly ulong Spread = (ulong)Random.Shared.NextInt64() | 1;

    // 0 marks an empty slot; the fingerprint 0 itself is kept aside.
    [NonSerialized] private ulong[] _slots = [];
    [NonSerialized] private int _used;
    [NonSerialized] private bool _hasZero;

    public int Count => _used + (_hasZero ? 1 : 0);

    /// <summary>The fingerprints as stored: written as a plain array, read back into a table.</summary>
    [Id(0)]
    internal ulong[] Stored
    {
        get => [.. this];
        set
        {
            _slots = [];
            _used = 0;
            _hasZero = false;
            Grow(value.Length);
            foreach (var fingerprint in value)
            {
                Add(fingerprint);
            }
        }
    }

    public static FingerprintSet Of(IReadOnlyCollection<ulong> fingerprints)
    {
        var set = new FingerprintSet();
        set.Grow(fingerprints.Count);
        foreach (var fingerprint in fingerprints)
        {
            set.Add(fingerprint);
        }

        return set;
    }

    /// <summary>Adds the fingerprint unless it is there already; returns whether it was added.</summary>
    public bool Add(ulong fingerprint)
    {
        if (fingerprint == 0)
        {
            var added = !_hasZero;
            _hasZero = true;
            return added;
        }

        var at = Find(fingerprint);
        if (at >= 0 && _slots[at] == fingerprint)
        {
            return false;
        }

        if (at < 0 || (_used + 1) * 4 > _slots.Length * 3)
        {
            Grow(_used + 1);
            at = Find(fingerprint);
        }

        _slots[at] = fingerprint;
        _used++;
        return true;
    }

    public bool Contains(ulong fingerprint) =>
        fingerprint == 0 ? _hasZero : Find(fingerprint) is var at and >= 0 && _slots[at] == fingerprint;

    public IEnumerator<ulong> GetEnumerator()
    {
        if (_hasZero)
        {
            yield return 0;
        }

        foreach (var fingerprint in _slots)
        {
            if (fingerprint != 0)
            {
                yield return fingerprint;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The slot holding <paramref name="fingerprint"/>, else the empty slot where it would go; −1 in an empty table.</summary>
    private int Find(ulong fingerprint)
    {
        if (_slots.Length == 0)
        {
            return -1;
        }

        var mask = _slots.Length - 1;
        var at = (int)((fingerprint * Spread) >> (64 - BitOperations.Log2((uint)_slots.Length))) & mask;
        while (_slots[at] != 0 && _slots[at] != fingerprint)
        {
            at = (at + 1) & mask;
        }

        return at;
    }

    /// <summary>Rebuilds the table with room for <paramref name="count"/> fingerprints at most three quarters full.</summary>
    private void Grow(int count)
    {
        var size = SmallestTable;
        while (count * 4 > size * 3)
        {
            size *= 2;
        }

        if (size <= _slots.Length)
        {
            return;
        }

        var old = _slots;
        _slots = new ulong[size];
        foreach (var fingerprint in old)
        {
            if (fingerprint != 0)
            {
                _slots[Find(fingerprint)] = fingerprint;
            }
        }
    }
}
