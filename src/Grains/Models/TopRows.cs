namespace CustomerGrains.Grains.Models;

/// <summary>The first <c>count</c> rows offered, in a ranking's order: a heap of that many, not a sort of all.</summary>
public sealed class TopRows(IComparer<(string Id, double Value)> order, int count)
{
    // The heap's root is the worst kept so far: the comparer is reversed.
    private readonly PriorityQueue<(string Id, double Value), (string Id, double Value)> _heap =
        new(count + 1, Comparer<(string Id, double Value)>.Create((x, y) => order.Compare(y, x)));

    public bool Full => _heap.Count >= count;

    public (string Id, double Value) Worst => _heap.Peek();

    /// <summary>A ranking's order: by value (highest first when <paramref name="descending"/>), ties by customer id.</summary>
    public static IComparer<(string Id, double Value)> Order(bool descending) => Comparer<(string Id, double Value)>.Create((x, y) =>
    {
        var byValue = descending ? y.Value.CompareTo(x.Value) : x.Value.CompareTo(y.Value);
        return byValue != 0 ? byValue : string.CompareOrdinal(x.Id, y.Id);
    });

    public void Offer((string Id, double Value) row)
    {
        if (_heap.Count < count)
        {
            _heap.Enqueue(row, row);
        }
        else if (order.Compare(row, _heap.Peek()) < 0)
        {
            _heap.EnqueueDequeue(row, row);
        }
    }

    /// <summary>The rows kept, best first (empties the heap).</summary>
    public List<(string Id, double Value)> InOrder()
    {
        var top = new List<(string Id, double Value)>(_heap.Count);
        while (_heap.TryDequeue(out var row, out _))
        {
            top.Add(row);
        }

        top.Reverse();
        return top;
    }
}
