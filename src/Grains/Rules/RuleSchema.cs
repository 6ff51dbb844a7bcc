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
        ["p_alive"] = RuleType.Number,
        ["expected_orders_90d"] = RuleType.Number,
        ["expected_spend"] = RuleType.Number,
        ["clv"] = RuleType.Number,
        ["potential"] = RuleType.String,
        ["value_potential"] = RuleType.String,
    };

    /// <summary>
    /// Traits read from the store's purchase models that time alone moves continuously and one way (a silent customer
    /// ages): <see cref="DeadlineCompiler"/> finds where they cross a bound. <c>potential</c> and
    /// <c>value_potential</c> step instead, when the predicted value crosses the store's cut points.
    /// </summary>
    public static readonly IReadOnlySet<string> Drifting = new HashSet<string>(StringComparer.Ordinal) { "p_alive", "expected_orders_90d", "clv" };

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
