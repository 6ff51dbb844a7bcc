namespace CustomerGrains.Grains.Rules;

/// <summary><c>in_segment("id")</c>: the customer is a member of another segment of the same store.</summary>
public sealed record InSegmentNode(int Position, string SegmentId) : RuleNode(Position);
