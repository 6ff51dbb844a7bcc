namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// What the purchase models read of one customer (Fader, Hardie &amp; Lee 2005 notation), all times in one <see cref="ModelTimeUnit"/>.
/// </summary>
/// <param name="X">Repeat purchase days: purchase days after the first.</param>
/// <param name="Tx">Time from the first purchase day to the last (0 when <paramref name="X"/> is 0).</param>
/// <param name="T">Time from the first purchase day to the moment of the summary.</param>
/// <param name="RepeatMeanValue">Mean revenue of the repeat purchase days (the first is left out, as the Gamma-Gamma model wants); 0 when <paramref name="X"/> is 0.</param>
public readonly record struct RepeatSummary(int X, double Tx, double T, double RepeatMeanValue);
