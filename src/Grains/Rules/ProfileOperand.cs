namespace CustomerGrains.Grains.Rules;

/// <summary><c>profile.name</c>.</summary>
public sealed record ProfileOperand(int Position, string Name, RuleType FieldType) : Operand(Position, FieldType);
