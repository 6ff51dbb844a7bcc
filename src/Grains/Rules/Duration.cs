using System.Globalization;

namespace CustomerGrains.Grains.Rules;

/// <summary>A window length as written (<c>12h</c>, <c>30d</c>, <c>8w</c>, <c>90m</c>).</summary>
public readonly record struct Duration(long Amount, char Unit)
{
    public TimeSpan Span => Unit switch
    {
        'm' => TimeSpan.FromMinutes(Amount),
        'h' => TimeSpan.FromHours(Amount),
        'd' => TimeSpan.FromDays(Amount),
        _ => TimeSpan.FromDays(Amount * 7),
    };

    public override string ToString() => Amount.ToString(CultureInfo.InvariantCulture) + Unit;
}
