namespace CustomerGrains.Grains.Rules;

/// <summary>Something a predicate compares: a literal, a field, or an aggregate call.</summary>
public abstract record Operand(int Position, RuleType Type);
