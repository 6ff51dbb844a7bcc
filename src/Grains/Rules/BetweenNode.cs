namespace CustomerGrains.Grains.Rules;

/// <summary>Inclusive at both ends.</summary>
public sealed record BetweenNode(int Position, Operand Value, Operand Low, Operand High) : RuleNode(Position);
