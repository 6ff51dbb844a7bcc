using System.Collections.Immutable;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// A sorted set that finds a position and reads by index in O(log n) (an AVL tree that counts its nodes), so that a
/// page after any position costs its length, not the set's size. <see cref="SortedSet{T}"/> cannot: a view of it counts
/// every item it covers.
/// </summary>
internal sealed class OrderedSet<T>(IComparer<T> comparer)
{
    private readonly ImmutableSortedSet<T>.Builder _items = ImmutableSortedSet.CreateBuilder(comparer);

    public int Count => _items.Count;

    public T this[int index] => _items[index];

    public bool Add(T item) => _items.Add(item);

    public bool Remove(T item) => _items.Remove(item);

    public void Clear() => _items.Clear();

    /// <summary>The index of the first item after <paramref name="item"/> (<see cref="Count"/> when there is none).</summary>
    public int IndexAfter(T item) => Search(item, orEqual: true);

    /// <summary>The index of the first item at or after <paramref name="item"/>.</summary>
    public int IndexFrom(T item) => Search(item, orEqual: false);

    /// <summary>Up to <paramref name="count"/> items from <paramref name="start"/> on.</summary>
    public IEnumerable<T> From(int start, int count)
    {
        for (var i = start; i < Math.Min(Count, start + count); i++)
        {
            yield return _items[i];
        }
    }

    private int Search(T item, bool orEqual)
    {
        var (low, high) = (0, _items.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var order = comparer.Compare(_items[middle], item);
            if (order < 0 || (orEqual && order == 0))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
