namespace CustomerGrains.Grains.Feed;

/// <summary>What the feed does with a change of a segment that sets a minimum dwell.</summary>
public enum DwellVerdict
{
    /// <summary>Tell it.</summary>
    Announce,

    /// <summary>Leave it out: a stay shorter than the minimum dwell (its entry and its exit both go).</summary>
    Suppress,

    /// <summary>Not yet known: an entry younger than the minimum dwell with no exit yet; the feed stops before it for now.</summary>
    Hold,
}

/// <summary>
/// Flapping control, pure: a customer who enters a segment and leaves it within the segment's minimum dwell is neither
/// announced (feed, webhooks) nor counted as a flow; its membership itself stays exact. An entry is told once the
/// customer has stayed the dwell (so the feed tells it that much later), an exit only if the entry before it was told.
/// </summary>
public static class Dwell
{
    /// <summary>
    /// An entry at <paramref name="enteredAt"/>, given when the customer next left that segment version
    /// (<paramref name="nextExitAt"/>, null: not yet), at <paramref name="now"/>.
    /// </summary>
    public static DwellVerdict OfEntry(DateTimeOffset enteredAt, DateTimeOffset? nextExitAt, TimeSpan minDwell, DateTimeOffset now) =>
        nextExitAt is { } left ? (left - enteredAt < minDwell ? DwellVerdict.Suppress : DwellVerdict.Announce)
        : now - enteredAt < minDwell ? DwellVerdict.Hold
        : DwellVerdict.Announce;

    /// <summary>An exit at <paramref name="exitedAt"/>, given when the customer entered that segment version before it (null: not known).</summary>
    public static DwellVerdict OfExit(DateTimeOffset exitedAt, DateTimeOffset? enteredAt, TimeSpan minDwell) =>
        enteredAt is { } entered && exitedAt - entered < minDwell ? DwellVerdict.Suppress : DwellVerdict.Announce;
}
