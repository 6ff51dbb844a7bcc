namespace CustomerGrains.Grains.Customers;

/// <summary>
/// What one evaluation pass decided: how many memberships changed (recorded in the state and its outbox) and
/// the earliest instant after now at which time alone can change any segment's answer (null: only new events can).
/// </summary>
public readonly record struct EvaluationOutcome(int Changes, DateTimeOffset? NextDeadline);
