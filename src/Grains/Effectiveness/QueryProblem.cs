namespace CustomerGrains.Grains.Effectiveness;

/// <summary>Why a stats or flows query cannot be answered: the query parameter at fault and the reason (the Api's 400).</summary>
[GenerateSerializer, Immutable, Alias("cg.QueryProblem")]
public sealed record QueryProblem([property: Id(0)] string Field, [property: Id(1)] string Reason);
