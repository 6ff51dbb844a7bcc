using System.Collections.Immutable;

namespace CustomerGrains.Grains.Customers;

/// <summary>Limits of identity merges. Bound from configuration section <c>Identity</c>.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    /// <summary>Identifier values that never take part in a merge: what broken clients send for a missing id.</summary>
    public static readonly ImmutableArray<string> DefaultBlockedIds = ["null", "undefined", "0", "test@test.com"];

    /// <summary>Blocked identifier values, compared ignoring case and surrounding spaces; unset: <see cref="DefaultBlockedIds"/>.</summary>
    public string[]? BlockedIds { get; set; }

    /// <summary>At most this many ids (its own among them) make one customer.</summary>
    public int MaxIds { get; set; } = 100;

    /// <summary>
    /// How long a customer being merged (or unmerged) waits for the outcome from the customer that runs the merge before
    /// it gives up its activation, so that the next one replays whatever was committed. Real time.
    /// </summary>
    public TimeSpan FreezeTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool IsBlocked(string id)
    {
        var trimmed = id.Trim();
        foreach (var blocked in BlockedIds ?? [.. DefaultBlockedIds])
        {
            if (string.Equals(blocked.Trim(), trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
