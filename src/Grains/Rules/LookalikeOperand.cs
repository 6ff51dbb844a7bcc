namespace CustomerGrains.Grains.Rules;

/// <summary>
/// <c>lookalike("best")</c>: the customer's score (0–1) under the store's lookalike model of that id; Null when the
/// model is not trained or the customer is outside its population.
/// </summary>
public sealed record LookalikeOperand(int Position, string Model) : Operand(Position, RuleType.Number);
