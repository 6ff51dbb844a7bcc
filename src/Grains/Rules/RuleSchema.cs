namespace CustomerGrains.Grains.Rules;

/// <summary>The fields rules may name and their types.</summary>
public static class RuleSchema
{
    public static readonly IReadOnlyDictionary<string, RuleType> Traits = new Dictionary<string, RuleType>(StringComparer.Ordinal)
    {
        ["orders"] = RuleType.Number,
        ["revenue"] = RuleType.Number,
        ["aov"] = RuleType.Number,
        ["refunds"] = RuleType.Number,
        ["events"] = RuleType.Number,
        ["first_order"] = RuleType.Time,
        ["last_order"] = RuleType.Time,
        ["first_seen"] = RuleType.Time,
        ["last_seen"] = RuleType.Time,
        ["lifecycle"] = RuleType.String,
        ["value_tier"] = RuleType.String,
        ["rfm.r"] = RuleType.Number,
        ["rfm.f"] = RuleType.Number,
        ["rfm.m"] = RuleType.Number,
        ["rfm.class"] = RuleType.String,
    };

    /// <summary>Known profile fields; any other name is a custom trait of type Any.</summary>
    public static readonly IReadOnlyDictionary<string, RuleType> Profile = new Dictionary<string, RuleType>(StringComparer.Ordinal)
    {
        ["age"] = RuleType.Number,
        ["birth_date"] = RuleType.Time,
        ["interests"] = RuleType.List,
        ["email"] = RuleType.String,
        ["first_name"] = RuleType.String,
        ["last_name"] = RuleType.String,
        ["gender"] = RuleType.String,
        ["country"] = RuleType.String,
        ["region"] = RuleType.String,
        ["city"] = RuleType.String,
        ["postal_code"] = RuleType.String,
        ["income_band"] = RuleType.String,
        ["occupation"] = RuleType.String,
    };

    public const int MaxLength = 4096;
    public const int MaxDepth = 32;
    public const int MaxListItems = 1000;
}
