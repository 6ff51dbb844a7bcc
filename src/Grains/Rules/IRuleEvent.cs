namespace CustomerGrains.Grains.Rules;

/// <summary>One retained event, as <c>where</c> filters see it.</summary>
public interface IRuleEvent
{
    string Type { get; }

    DateTimeOffset Timestamp { get; }

    /// <summary>A property of the event; Null when absent.</summary>
    RuleValue Property(string name);
}
