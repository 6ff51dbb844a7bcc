namespace CustomerGrains.Grains.Prediction;

/// <summary>
/// What one feature adds to one customer's score, in log-odds (for a number: relative to the training average),
/// for the customer view's "top contributing features": "country = ES: ×2.4", "visits_30d = 14 (average 6.1): ×3.1".
/// </summary>
public sealed record LookalikeContribution(string Feature, string? Value, double LogOdds, string Text);
