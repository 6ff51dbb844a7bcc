namespace CustomerGrains.Grains.Rules;

/// <summary>
/// <c>expected_orders(90d)</c>: the orders the store's purchase model expects of the customer over the horizon from
/// now; Null without a fitted model or an order. It falls as a silent customer ages.
/// </summary>
public sealed record ExpectedOrdersOperand(int Position, Duration Horizon) : Operand(Position, RuleType.Number);
