using System.Collections.Immutable;

namespace CustomerGrains.Grains.Rules;

public sealed record InNode(int Position, Operand Value, ImmutableArray<RuleValue> Items, bool Negated) : RuleNode(Position);
