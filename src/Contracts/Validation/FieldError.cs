namespace CustomerGrains.Contracts.Validation;

/// <summary>One reason a request was rejected; <see cref="Index"/> is the event's position when it applies.</summary>
public sealed record FieldError(int? Index, string Field, string Reason);
