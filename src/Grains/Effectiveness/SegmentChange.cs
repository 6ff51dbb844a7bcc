namespace CustomerGrains.Grains.Effectiveness;

/// <summary>
/// One membership change of one segment version as the change feed holds it: the customer entered (or left) at
/// <see cref="At"/>. A replay takes a version's changes in feed order, which keeps each customer's in decision order.
/// </summary>
public readonly record struct SegmentChange(string CustomerId, bool Entered, DateTimeOffset At);
