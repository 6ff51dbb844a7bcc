namespace CustomerGrains.Grains.Rules;

public sealed record LiteralOperand(int Position, RuleValue Value, RuleType LiteralType) : Operand(Position, LiteralType);
