namespace CustomerGrains.Grains.Classification;

/// <summary>
/// Value and potential together: what a customer is worth now (its value tier) against what it is predicted to be
/// worth (its potential), the 3×3 map a marketer acts on:
/// <code>
///                  potential high   potential medium   potential low
///   value high     champion         nurture            retain
///   value medium   rising           develop            maintain
///   value low      grow             nudge              deprioritise
/// </code>
/// <c>retain</c>: worth much, little ahead — keep it from leaving; <c>grow</c>: worth little yet, much ahead — invest.
/// A customer without orders is a <c>prospect</c>; without a value tier or a potential there is no class.
/// </summary>
public static class ValuePotential
{
    public static string? Of(string? valueTier, string? potential, bool hasOrders) => !hasOrders ? "prospect" : (valueTier, potential) switch
    {
        ("high", "high") => "champion",
        ("high", "medium") => "nurture",
        ("high", "low") => "retain",
        ("medium", "high") => "rising",
        ("medium", "medium") => "develop",
        ("medium", "low") => "maintain",
        ("low", "high") => "grow",
        ("low", "medium") => "nudge",
        ("low", "low") => "deprioritise",
        _ => null,
    };
}
