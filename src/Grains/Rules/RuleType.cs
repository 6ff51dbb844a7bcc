namespace CustomerGrains.Grains.Rules;

/// <summary>The static type of an operand; <see cref="Any"/> for custom fields known only at run time.</summary>
public enum RuleType
{
    Any = 0,
    Bool = 1,
    Number = 2,
    String = 3,
    Time = 4,
    List = 5,
}
