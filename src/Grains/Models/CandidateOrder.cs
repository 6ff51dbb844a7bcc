using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// The buyers of one store's purchase index ordered by an upper bound of one prediction (<see cref="RankingMeasure"/>),
/// highest first, ties by customer id as rankings break them: what a descending ranking walks from the top, kept by the
/// silo's copy of the index across requests (<see cref="PurchaseIndex.ReadByBoundAsync{T}"/>) and touched only under its
/// read gate.
/// <para>
/// A bound holds under the models of the last <see cref="Begin"/> at every instant from the one it was given at on, for as
/// long as the buyer's row does not change: the predictions, and their cheap bounds, only fall as time passes over a
/// fixed history (<see cref="PredictionRanking"/> gives only such bounds). So a row that changes makes its buyer
/// <see cref="Unbounded"/> again, and other models or a clock set back make every buyer so.
/// </para>
/// </summary>
public sealed class CandidateOrder
{
    private static readonly Comparer<(double Bound, string Id)> HighestFirst = Comparer<(double Bound, string Id)>.Create((x, y) =>
    {
        var byBound = y.Bound.CompareTo(x.Bound);
        return byBound != 0 ? byBound : string.CompareOrdinal(x.Id, y.Id);
    });

    private readonly SortedSet<(double Bound, string Id)> _byBound = new(HighestFirst);
    private readonly Dictionary<string, double> _bounds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unbounded = new(StringComparer.Ordinal);
    private StoreModels? _models;
    private DateTimeOffset _latest;

    /// <summary>The bounded buyers, highest bound first, ties by id.</summary>
    public IEnumerable<(double Bound, string Id)> ByBound => _byBound;

    /// <summary>The buyers without a bound: new, changed since their bound was given, or not yet rankable.</summary>
    public IReadOnlyCollection<string> Unbounded => _unbounded;

    /// <summary>
    /// Starts a ranking at <paramref name="now"/> under <paramref name="models"/>. Bounds given under other models, or
    /// at an instant after <paramref name="now"/> (a clock set back), need not hold: every buyer of
    /// <paramref name="buyers"/> is then unbounded again.
    /// </summary>
    public void Begin(StoreModels models, DateTimeOffset now, IEnumerable<string> buyers)
    {
        if (!Equals(_models, models) || now < _latest)
        {
            _byBound.Clear();
            _bounds.Clear();
            _unbounded.Clear();
            _unbounded.UnionWith(buyers);
            _models = models;
        }

        _latest = now;
    }

    /// <summary>
    /// Gives the buyer a bound, or a tighter one: it must hold from the instant of the ranking that gives it on, under
    /// its models, while the buyer's row stays the same.
    /// </summary>
    public void Bound(string id, double bound)
    {
        if (_bounds.TryGetValue(id, out var old))
        {
            _byBound.Remove((old, id));
        }

        _unbounded.Remove(id);
        _bounds[id] = bound;
        _byBound.Add((bound, id));
    }

    /// <summary>Leaves out a buyer the index no longer has.</summary>
    public void Forget(string id)
    {
        if (_bounds.Remove(id, out var old))
        {
            _byBound.Remove((old, id));
        }

        _unbounded.Remove(id);
    }

    /// <summary>The buyer's row changed: a new history, for which its bound says nothing.</summary>
    internal void Changed(string id)
    {
        if (_bounds.Remove(id, out var old))
        {
            _byBound.Remove((old, id));
        }

        _unbounded.Add(id);
    }

    /// <summary>The index was read again whole (rows went): the next ranking starts from no bounds.</summary>
    internal void Invalidate() => _models = null;
}
