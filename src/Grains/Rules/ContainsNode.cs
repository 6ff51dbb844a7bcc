namespace CustomerGrains.Grains.Rules;

/// <summary>A list holds the value, or a string holds the substring.</summary>
public sealed record ContainsNode(int Position, Operand Container, Operand Value) : RuleNode(Position);
