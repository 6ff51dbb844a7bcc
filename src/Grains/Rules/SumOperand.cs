namespace CustomerGrains.Grains.Rules;

/// <summary><c>sum(type.property [where filter], window)</c>.</summary>
public sealed record SumOperand(int Position, string EventType, string Property, RuleNode? Where, Duration Window) : Operand(Position, RuleType.Number);
