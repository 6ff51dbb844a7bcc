using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Tests.Rules;

internal sealed record SampleEvent(string Type, DateTimeOffset Timestamp, Dictionary<string, RuleValue> Properties) : IRuleEvent
{
    public RuleValue Property(string name) => Properties.GetValueOrDefault(name);
}
