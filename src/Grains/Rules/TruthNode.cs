namespace CustomerGrains.Grains.Rules;

/// <summary>A boolean operand on its own: <c>profile.newsletter</c>, <c>true</c>.</summary>
public sealed record TruthNode(int Position, Operand Value) : RuleNode(Position);
