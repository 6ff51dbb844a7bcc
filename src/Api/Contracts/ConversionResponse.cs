namespace CustomerGrains.Api.Contracts;

/// <summary>
/// Conversion of those who entered in the range, within <c>windowDays</c> after the day they entered: treated members and
/// the holdout, the difference of their rates (treated − holdout) and the lift (treated / holdout − 1), each with its 95 %
/// interval; null while a group is empty (the lift also while the holdout's rate is 0).
/// </summary>
public sealed record ConversionResponse(
    int WindowDays, ConversionGroupResponse Treated, ConversionGroupResponse Holdout, EstimateResponse? Difference, EstimateResponse? Lift);

/// <summary>One group: entered, converted, still within its window (may yet convert), and the rate with its Wilson interval.</summary>
public sealed record ConversionGroupResponse(long Entered, long Converted, long WindowOpen, double? Rate, double? Low, double? High);

/// <summary>A figure and its 95 % interval.</summary>
public sealed record EstimateResponse(double Value, double? Low, double? High);
