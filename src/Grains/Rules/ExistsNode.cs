namespace CustomerGrains.Grains.Rules;

/// <summary>The value is set (and, for a list, not empty).</summary>
public sealed record ExistsNode(int Position, Operand Value) : RuleNode(Position);
