using System.Collections.Immutable;

namespace CustomerGrains.Grains.Rules;

public sealed record OrNode(int Position, ImmutableArray<RuleNode> Items) : RuleNode(Position);
