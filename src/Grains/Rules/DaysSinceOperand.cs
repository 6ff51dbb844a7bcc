namespace CustomerGrains.Grains.Rules;

/// <summary><c>days_since(time)</c>: fractional days from the time to now; Null when the time is unset.</summary>
public sealed record DaysSinceOperand(int Position, Operand Time) : Operand(Position, RuleType.Number);
