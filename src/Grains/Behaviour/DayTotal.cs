namespace CustomerGrains.Grains.Behaviour;

/// <summary>One day's totals of one event type: answer long windows after the detailed events have been evicted.</summary>
[GenerateSerializer, Alias("cg.DayTotal")]
public record struct DayTotal(
    [property: Id(0)] int Day,
    [property: Id(1)] long Count,
    [property: Id(2)] double Revenue);
