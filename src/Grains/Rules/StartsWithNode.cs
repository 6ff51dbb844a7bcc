namespace CustomerGrains.Grains.Rules;

public sealed record StartsWithNode(int Position, Operand Value, Operand Prefix) : RuleNode(Position);
