namespace CustomerGrains.Grains.Rules;

/// <summary>A computed trait such as <c>orders</c> or <c>last_order</c>.</summary>
public sealed record TraitOperand(int Position, string Name, RuleType FieldType) : Operand(Position, FieldType);
