namespace CustomerGrains.Grains.Behaviour;

/// <summary>
/// One refund. With an amount it subtracts that amount; without one it refunds its whole order,
/// resolved when revenue is computed so that a refund arriving before its order still counts.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.RefundRecord")]
public sealed record RefundRecord(
    [property: Id(0)] string? OrderId,
    [property: Id(1)] double? Amount,
    [property: Id(2)] DateTimeOffset At);
