using System.Collections.Concurrent;

namespace CustomerGrains.Grains.Infrastructure.Telemetry;

/// <summary>
/// The value of a store's label: its name for the first <c>cap</c> stores seen, <see cref="Other"/> for the rest, so a
/// deployment with many stores cannot grow the series without bound. A store keeps the label it was first given.
/// </summary>
public sealed class StoreLabels(int cap)
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, string> _named = new(StringComparer.Ordinal);
    private readonly Lock _adding = new();
    private int _stores;

    public string Of(string store)
    {
        if (_named.TryGetValue(store, out var label))
        {
            return label;
        }

        lock (_adding)
        {
            // Decided once per store: checked again under the lock so the cap is exact.
            if (!_named.TryGetValue(store, out label))
            {
                label = _stores < cap ? store : Other;
                _stores += label == Other ? 0 : 1;
                _named[store] = label;
            }

            return label;
        }
    }
}
