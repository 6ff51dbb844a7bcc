using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Evaluation;

/// <summary>One membership change a customer decided, with the segment version key it belongs to (<see cref="SegmentDefinition.Key"/>).</summary>
public readonly record struct MembershipDecision(string Key, MembershipChange Change);
