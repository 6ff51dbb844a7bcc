namespace CustomerGrains.Grains.Rules;

/// <summary>A typed rule AST node; <see cref="Position"/> is its offset in the rule text.</summary>
public abstract record RuleNode(int Position);
