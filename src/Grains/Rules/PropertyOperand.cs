namespace CustomerGrains.Grains.Rules;

/// <summary>An event property, inside a <c>where</c> filter.</summary>
public sealed record PropertyOperand(int Position, string Name) : Operand(Position, RuleType.Any);
