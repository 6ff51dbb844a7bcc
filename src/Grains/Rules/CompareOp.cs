namespace CustomerGrains.Grains.Rules;

/// <summary>A comparison operator, resolved from its text once when a rule is compiled instead of on every comparison.</summary>
internal enum CompareOp : byte
{
    /// <summary>Not an operator: compares false, as unknown operator text always has.</summary>
    None = 0,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
