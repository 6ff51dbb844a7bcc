using System.Collections.Immutable;
using System.Globalization;

namespace CustomerGrains.Grains.Quality;

/// <summary>
/// A store's data-quality report, kept current by its customers' updates (<see cref="Apply"/>) instead of computed by
/// scanning them: each customer's newest facts, and the sets the checks read — per check and field the ids it finds,
/// sorted; the duplicate groups by key; every customer by last activity, so that "inactive for N days" is a range.
/// Counts are the sets' sizes; a page is a position and a walk of its length. Pure and single-threaded: its grain owns it.
/// </summary>
public sealed class QualityIndex
{
    /// <summary>Example ids (or groups) per count.</summary>
    public const int Examples = 5;

    /// <summary>The ids a duplicate group shows; its size says how many it has.</summary>
    public const int GroupIds = 20;

    /// <summary>Inactivity that makes a customer obsolete when neither the query nor the store's retention says.</summary>
    public const int DefaultInactiveDays = 365;

    /// <summary>
    /// How long a removed customer's version is remembered, so that an older update still on its way (from another
    /// silo's reporter) cannot bring it back. Memory only: a removed id is not written with the report.
    /// </summary>
    public static readonly TimeSpan RemovedFor = TimeSpan.FromMinutes(10);

    private static readonly StringComparer Ids = StringComparer.Ordinal;

    private readonly Dictionary<string, QualityEntry> _customers;
    private readonly Dictionary<string, (long Version, DateTimeOffset At)> _removed = new(Ids);
    private readonly Queue<(string Id, DateTimeOffset At)> _removedOrder = new();

    private ImmutableArray<string> _keyTraits = [];
    private int _keyMask;
    private readonly OrderedSet<string> _missingAny = new(Ids);
    private readonly Dictionary<string, OrderedSet<string>> _missing = new(Ids);
    private readonly OrderedSet<string> _invalidAny = new(Ids);
    private readonly Dictionary<string, OrderedSet<string>> _invalid = new(Ids);
    private readonly OrderedSet<string> _contradictionsAny = new(Ids);
    private readonly Dictionary<string, OrderedSet<string>> _contradictions = new(Ids);
    private readonly OrderedSet<string> _duplicatesAny = new(Ids);
    private readonly Dictionary<string, OrderedSet<string>> _duplicates = new(Ids);
    private readonly Dictionary<string, int> _groupCounts = new(Ids);
    private readonly Dictionary<UInt128, SortedSet<string>> _groups = [];

    // Keys only one customer has, which are most: a group is made when a second comes.
    private readonly Dictionary<UInt128, string> _alone = [];
    private readonly OrderedSet<Activity> _activity = new(Activity.Order);

    /// <summary>Indexes <paramref name="customers"/> (a store's stored report), which it keeps and changes from now on.</summary>
    public QualityIndex(Dictionary<string, QualityEntry> customers, ImmutableArray<string> keyTraits)
    {
        _customers = customers;
        foreach (var (id, entry) in customers)
        {
            Index(id, entry.Facts);
        }

        SetKeyTraits(keyTraits);
    }

    /// <summary>The customers the report holds.</summary>
    public int Count => _customers.Count;

    public ImmutableArray<string> KeyTraits => _keyTraits;

    /// <summary>The ids the report holds, for a rebuild's sweep (a copy: the caller may remove while walking it).</summary>
    public IReadOnlyList<string> CustomerIds() => [.. _customers.Keys];

    public QualityEntry? this[string customerId] => _customers.GetValueOrDefault(customerId);

    /// <summary>
    /// Takes a customer's update unless the report holds a newer version (or removed it at a newer one, lately);
    /// whether what is stored changed.
    /// </summary>
    public bool Apply(QualityUpdate update, DateTimeOffset now)
    {
        Forget(now);
        var id = update.CustomerId;
        if (_customers.TryGetValue(id, out var held))
        {
            if (update.Version < held.Version)
            {
                return false;
            }

            if (update.Facts is null)
            {
                Remove(id);
                Removed(id, update.Version, now);
                return true;
            }

            if (update.Facts.Equals(held.Facts))
            {
                _customers[id] = held with { Version = update.Version };
                return update.Version != held.Version;
            }

            Unindex(id, held.Facts);
            _customers[id] = new QualityEntry(update.Version, update.Facts);
            Index(id, update.Facts);
            return true;
        }

        if (update.Facts is null)
        {
            Removed(id, update.Version, now);
            return false;
        }

        if (_removed.TryGetValue(id, out var removed) && update.Version < removed.Version)
        {
            return false;
        }

        _removed.Remove(id);
        _customers[id] = new QualityEntry(update.Version, update.Facts);
        Index(id, update.Facts);
        return true;
    }

    /// <summary>Drops a customer from every check (a rebuild found it gone); whether it was held.</summary>
    public bool Remove(string customerId)
    {
        if (!_customers.TryGetValue(customerId, out var held))
        {
            return false;
        }

        Unindex(customerId, held.Facts);
        _customers.Remove(customerId);
        return true;
    }

    /// <summary>Which traits count as missing; the sets of the missing check follow (a walk of the report, not of customers).</summary>
    public void SetKeyTraits(ImmutableArray<string> keyTraits)
    {
        _keyTraits = keyTraits;
        _keyMask = QualityChecks.Mask(keyTraits);
        _missing.Clear();
        _missingAny.Clear();
        foreach (var trait in keyTraits)
        {
            _missing[trait] = new OrderedSet<string>(Ids);
        }

        foreach (var (id, entry) in _customers)
        {
            IndexMissing(id, entry.Facts.Missing);
        }
    }

    /// <summary>The report's counts and examples at <paramref name="now"/>; obsolete: no activity for <paramref name="inactiveDays"/> days.</summary>
    public QualitySummary Summary(DateTimeOffset now, int inactiveDays, QualityRebuild rebuild)
    {
        var since = now.AddDays(-inactiveDays);
        var obsolete = ObsoleteCount(since);
        return new QualitySummary(
            _customers.Count,
            _keyTraits,
            Summary(_missingAny, _keyTraits, _missing),
            Summary(_invalidAny, QualityChecks.InvalidFields, _invalid),
            new DuplicateSummary(
                new DuplicateCount(null, _groupCounts.Values.Sum(), _duplicatesAny.Count, GroupExamples(_duplicatesAny, null)),
                [.. QualityChecks.DuplicateFields.Select(f => _duplicates.TryGetValue(f, out var set)
                    ? new DuplicateCount(f, _groupCounts.GetValueOrDefault(f), set.Count, GroupExamples(set, f))
                    : new DuplicateCount(f, 0, 0, []))]),
            new ObsoleteSummary(inactiveDays, since, obsolete, [.. _activity.From(0, (int)Math.Min(obsolete, Examples)).Select(a => a.Id)]),
            Summary(_contradictionsAny, QualityChecks.ContradictionKinds, _contradictions),
            now,
            rebuild);
    }

    /// <summary>A page of one check; obsolete: no activity for <paramref name="inactiveDays"/> days before <paramref name="now"/>.</summary>
    public QualityPageResult Page(QualityQuery query, DateTimeOffset now, int inactiveDays)
    {
        if (query.Check == QualityChecks.Obsolete)
        {
            return query.Field is not null
                ? new QualityPageResult(null, "the obsolete check has no fields")
                : ObsoletePage(query, now.AddDays(-inactiveDays));
        }

        var fields = QualityChecks.FieldsOf(query.Check, _keyTraits);
        if (query.Field is { } field && !fields.Contains(field))
        {
            return new QualityPageResult(null, fields.IsEmpty
                ? $"field '{field}' is not one of check {query.Check}, which has none"
                : $"field '{field}' is not one of check {query.Check}: {string.Join(", ", fields)}");
        }

        var (any, byField) = query.Check switch
        {
            QualityChecks.Missing => (_missingAny, _missing),
            QualityChecks.Invalid => (_invalidAny, _invalid),
            QualityChecks.Duplicates => (_duplicatesAny, _duplicates),
            QualityChecks.Contradictions => (_contradictionsAny, _contradictions),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Check, "not a quality check"),
        };
        var set = query.Field is null ? any : byField.GetValueOrDefault(query.Field);
        if (set is null)
        {
            return new QualityPageResult(new QualityPage([], null));
        }

        var start = query.After is null ? 0 : set.IndexAfter(query.After);
        var items = set.From(start, query.Limit).Select(id => ItemOf(query.Check, id)).ToImmutableArray();
        return new QualityPageResult(new QualityPage(items, start + items.Length < set.Count ? items[^1].CustomerId : null));
    }

    private QualityPageResult ObsoletePage(QualityQuery query, DateTimeOffset since)
    {
        var start = 0;
        if (query.After is { } after)
        {
            if (Activity.Parse(after) is not { } position)
            {
                return new QualityPageResult(null, "after is not a position a page of the obsolete check returned");
            }

            start = _activity.IndexAfter(position);
        }

        var end = ObsoleteCount(since);
        var items = _activity.From(start, Math.Min(query.Limit, Math.Max(0, end - start)))
            .Select(a => new QualityItem(a.Id, LastActivity: _customers[a.Id].Facts.LastActivity))
            .ToImmutableArray();
        var next = !items.IsEmpty && start + items.Length < end ? new Activity(_activity[start + items.Length - 1].Ticks, items[^1].CustomerId).ToString() : null;
        return new QualityPageResult(new QualityPage(items, next));
    }

    /// <summary>Customers last active at or before <paramref name="since"/> (as a retention's <c>days_since(last_seen) >= N</c>).</summary>
    private int ObsoleteCount(DateTimeOffset since) => _activity.IndexFrom(new Activity(since.UtcTicks + 1, ""));

    private QualityItem ItemOf(string check, string id)
    {
        var facts = _customers[id].Facts;
        return check switch
        {
            QualityChecks.Missing => new QualityItem(id, Missing: [.. _keyTraits.Where(t => (facts.Missing & QualityChecks.Bit(t)) != 0)]),
            QualityChecks.Invalid => new QualityItem(id, Invalid: facts.Invalid),
            QualityChecks.Duplicates => new QualityItem(id, Duplicates: [.. facts.Keys.Where(k => _groups.ContainsKey(k.Hash)).Select(Group)]),
            _ => new QualityItem(id, Contradictions: facts.Contradictions),
        };
    }

    private DuplicateGroup Group(DuplicateKey key)
    {
        var group = _groups[key.Hash];
        return new DuplicateGroup(key.Field, group.Count, [.. group.Take(GroupIds)]);
    }

    private static QualityCheckSummary Summary(OrderedSet<string> any, ImmutableArray<string> fields, Dictionary<string, OrderedSet<string>> byField) => new(
        CountOf(null, any),
        [.. fields.Select(f => byField.TryGetValue(f, out var set) ? CountOf(f, set) : new QualityCount(f, 0, []))]);

    private static QualityCount CountOf(string? field, OrderedSet<string> set) => new(field, set.Count, [.. set.From(0, Examples)]);

    /// <summary>The groups of the first customers of <paramref name="set"/> (of <paramref name="field"/>, or of any), each once.</summary>
    private ImmutableArray<ImmutableArray<string>> GroupExamples(OrderedSet<string> set, string? field)
    {
        var seen = new HashSet<UInt128>();
        var examples = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        foreach (var id in set.From(0, Examples * GroupIds))
        {
            foreach (var key in _customers[id].Facts.Keys)
            {
                if ((field is null || key.Field == field) && _groups.ContainsKey(key.Hash) && seen.Add(key.Hash))
                {
                    examples.Add([.. _groups[key.Hash].Take(GroupIds)]);
                    if (examples.Count == Examples)
                    {
                        return examples.DrainToImmutable();
                    }
                }
            }
        }

        return examples.DrainToImmutable();
    }

    private void Index(string id, CustomerQuality facts)
    {
        IndexMissing(id, facts.Missing);
        foreach (var invalid in facts.Invalid)
        {
            Set(_invalid, invalid.Field).Add(id);
            _invalidAny.Add(id);
        }

        foreach (var contradiction in facts.Contradictions)
        {
            Set(_contradictions, contradiction.Kind).Add(id);
            _contradictionsAny.Add(id);
        }

        foreach (var key in facts.Keys)
        {
            if (_groups.TryGetValue(key.Hash, out var group))
            {
                group.Add(id);
                Set(_duplicates, key.Field).Add(id);
                _duplicatesAny.Add(id);
            }
            else if (_alone.Remove(key.Hash, out var other))
            {
                // A pair: the one who was alone becomes a duplicate too.
                _groups[key.Hash] = new SortedSet<string>(Ids) { other, id };
                _groupCounts[key.Field] = _groupCounts.GetValueOrDefault(key.Field) + 1;
                foreach (var member in new[] { other, id })
                {
                    Set(_duplicates, key.Field).Add(member);
                    _duplicatesAny.Add(member);
                }
            }
            else
            {
                _alone[key.Hash] = id;
            }
        }

        if (facts.LastActivity is { } last)
        {
            _activity.Add(new Activity(last.UtcTicks, id));
        }
    }

    private void IndexMissing(string id, int missing)
    {
        if ((missing & _keyMask) == 0)
        {
            return;
        }

        _missingAny.Add(id);
        foreach (var (trait, set) in _missing)
        {
            if ((missing & QualityChecks.Bit(trait)) != 0)
            {
                set.Add(id);
            }
        }
    }

    /// <summary>Takes a customer out of every set; its entry must still be held (its groups' others are judged by theirs).</summary>
    private void Unindex(string id, CustomerQuality facts)
    {
        if ((facts.Missing & _keyMask) != 0)
        {
            _missingAny.Remove(id);
            foreach (var set in _missing.Values)
            {
                set.Remove(id);
            }
        }

        foreach (var invalid in facts.Invalid)
        {
            _invalid[invalid.Field].Remove(id);
        }

        _invalidAny.Remove(id);
        foreach (var contradiction in facts.Contradictions)
        {
            _contradictions[contradiction.Kind].Remove(id);
        }

        _contradictionsAny.Remove(id);
        _duplicatesAny.Remove(id);
        foreach (var key in facts.Keys)
        {
            if (!_groups.TryGetValue(key.Hash, out var group))
            {
                _alone.Remove(key.Hash);
                continue;
            }

            group.Remove(id);
            var duplicates = _duplicates[key.Field];
            duplicates.Remove(id);
            if (group.Count == 1)
            {
                // The pair is gone: the one left is no duplicate by this key, and perhaps by none.
                var other = group.Min!;
                _groups.Remove(key.Hash);
                _alone[key.Hash] = other;
                _groupCounts[key.Field]--;
                duplicates.Remove(other);
                if (!_customers[other].Facts.Keys.Any(k => _groups.ContainsKey(k.Hash)))
                {
                    _duplicatesAny.Remove(other);
                }
            }
        }

        if (facts.LastActivity is { } last)
        {
            _activity.Remove(new Activity(last.UtcTicks, id));
        }
    }

    private void Removed(string id, long version, DateTimeOffset now)
    {
        if (!_removed.TryGetValue(id, out var known) || known.Version < version)
        {
            _removed[id] = (version, now);
            _removedOrder.Enqueue((id, now));
        }
    }

    private void Forget(DateTimeOffset now)
    {
        while (_removedOrder.TryPeek(out var oldest) && oldest.At + RemovedFor <= now)
        {
            _removedOrder.Dequeue();
            if (_removed.TryGetValue(oldest.Id, out var removed) && removed.At == oldest.At)
            {
                _removed.Remove(oldest.Id);
            }
        }
    }

    private static OrderedSet<string> Set(Dictionary<string, OrderedSet<string>> sets, string field) =>
        sets.TryGetValue(field, out var set) ? set : sets[field] = new OrderedSet<string>(Ids);

    /// <summary>A customer by last activity, ties by id; as a page position, "ticks:id".</summary>
    private readonly record struct Activity(long Ticks, string Id)
    {
        public static readonly IComparer<Activity> Order = Comparer<Activity>.Create((a, b) =>
            a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : string.CompareOrdinal(a.Id, b.Id));

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ticks}:{Id}");

        public static Activity? Parse(string text) =>
            text.IndexOf(':') is > 0 and var colon && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? new Activity(ticks, text[(colon + 1)..])
                : null;
    }
}
