namespace CustomerGrains.Grains.Rules;

public sealed record NotNode(int Position, RuleNode Inner) : RuleNode(Position);
