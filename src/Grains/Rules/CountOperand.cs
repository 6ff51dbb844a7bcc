namespace CustomerGrains.Grains.Rules;

/// <summary><c>count(type [where filter], window)</c>.</summary>
public sealed record CountOperand(int Position, string EventType, RuleNode? Where, Duration Window) : Operand(Position, RuleType.Number);
