namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// The conversion of one group (treated members or the holdout): how many entered in the range, how many of them
/// ordered within the window, the rate with its 95 % Wilson interval (null while nobody entered), and how many entered
/// so recently that their window is not over yet (they may still convert).
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ConversionGroup")]
public sealed record ConversionGroup(
    [property: Id(0)] long Entered,
    [property: Id(1)] long Converted,
    [property: Id(2)] long WindowOpen,
    [property: Id(3)] double? Rate,
    [property: Id(4)] double? Low,
    [property: Id(5)] double? High);
