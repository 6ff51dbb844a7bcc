using System.Collections.Frozen;
using CustomerGrains.Contracts.Validation;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Api.Tracking;

/// <summary>
/// The configured origins (<see cref="TrackingOptions"/>), checked at start and kept in their serialised form
/// (<c>scheme://host[:port]</c>, lower case, the default port left out), which is how a browser writes <c>Origin</c>.
/// </summary>
public sealed class TrackingOrigins
{
    private readonly FrozenDictionary<string, FrozenSet<string>> _byStore;
    private readonly FrozenSet<string> _any;

    public TrackingOrigins(IOptions<TrackingOptions> options)
    {
        _byStore = options.Value.Origins.ToFrozenDictionary(
            s => s.Key,
            s => s.Value.Select(o => Serialise(o) ?? "").ToFrozenSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        _any = _byStore.Values.SelectMany(o => o).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Whether a page of <paramref name="origin"/> may send <paramref name="store"/>'s tracking calls.</summary>
    public bool Allows(string store, string origin) => _byStore.TryGetValue(store, out var origins) && origins.Contains(origin);

    /// <summary>Whether any store allows <paramref name="origin"/>: a preflight names no key, so it cannot name a store.</summary>
    public bool AllowsAny(string origin) => _any.Contains(origin);

    /// <summary>The start-up check (<see cref="TrackingOptionsValidator"/>), naming the setting of the first bad value.</summary>
    public static ValidateOptionsResult Validate(TrackingOptions options)
    {
        foreach (var (store, origins) in options.Origins)
        {
            if (!Ids.IsStore(store))
            {
                return ValidateOptionsResult.Fail($"{TrackingOptions.Section}:Origins:{store} must name a store: [a-z0-9][a-z0-9-]{{0,62}}");
            }

            for (var i = 0; i < origins.Count; i++)
            {
                if (Serialise(origins[i]) is null)
                {
                    return ValidateOptionsResult.Fail(
                        $"{TrackingOptions.Section}:Origins:{store}:{i} '{origins[i]}' must be an origin: http(s)://host[:port], with no path, query or wildcard");
                }
            }
        }

        return ValidateOptionsResult.Success;
    }

    /// <summary>The origin as a browser sends it, or null when the value is not exactly an origin.</summary>
    private static string? Serialise(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && uri.UserInfo.Length == 0
        && uri.AbsolutePath == "/"
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0
        && !value.Contains('*', StringComparison.Ordinal)
        && !value.TrimEnd('/').EndsWith('/')
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;
}
