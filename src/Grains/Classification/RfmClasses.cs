namespace CustomerGrains.Grains.Classification;

/// <summary>
/// The R×F map (rows: recency score 5 → 1; columns: frequency score 1 → 5):
/// <code>
/// R5: new             potential_loyalist potential_loyalist champions  champions
/// R4: promising       potential_loyalist potential_loyalist loyal      champions
/// R3: about_to_sleep  need_attention     need_attention     loyal      loyal
/// R2: hibernating     hibernating        at_risk            at_risk    cannot_lose
/// R1: lost            lost               at_risk            at_risk    cannot_lose
/// </code>
/// </summary>
public static class RfmClasses
{
    private static readonly string[][] Map =
    [
        ["lost", "lost", "at_risk", "at_risk", "cannot_lose"],
        ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
        ["about_to_sleep", "need_attention", "need_attention", "loyal", "loyal"],
        ["promising", "potential_loyalist", "potential_loyalist", "loyal", "champions"],
        ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
    ];

    public static string Of(int r, int f) => Map[Math.Clamp(r, 1, 5) - 1][Math.Clamp(f, 1, 5) - 1];
}
