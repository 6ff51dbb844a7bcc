using System.Collections.Immutable;

namespace CustomerGrains.Grains.Rules;

public sealed record AndNode(int Position, ImmutableArray<RuleNode> Items) : RuleNode(Position);
