namespace CustomerGrains.Grains.Rules;

/// <summary>What a compiled rule evaluates against: one customer.</summary>
public interface IRuleSubject
{
    /// <summary>A profile field as written after <c>profile.</c> (snake_case); <c>age</c> is derived. Null when unset.</summary>
    RuleValue Profile(string name, DateTimeOffset now);

    /// <summary>A computed trait (<see cref="RuleSchema.Traits"/>) as of <paramref name="now"/>; Null when unset.</summary>
    RuleValue Trait(string name, DateTimeOffset now);

    /// <summary>Events of <paramref name="type"/> with timestamp in (now − window, now], optionally filtered.</summary>
    long Count(string type, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where);

    /// <summary>Sum of a numeric property over the same events as <see cref="Count"/>.</summary>
    double Sum(string type, string property, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where);

    /// <summary>Whether the customer is (by this evaluation pass) a member of another segment of its store.</summary>
    bool InSegment(string segmentId);

    /// <summary>The orders the store's purchase model expects over <paramref name="horizon"/> from now; Null without a model or an order.</summary>
    RuleValue ExpectedOrders(TimeSpan horizon, DateTimeOffset now) => RuleValue.Null;

    /// <summary>The customer's score under the store's lookalike model <paramref name="model"/>; Null when it has none.</summary>
    RuleValue Lookalike(string model, DateTimeOffset now) => RuleValue.Null;

    /// <summary>
    /// The first instant after <paramref name="now"/> at which the set of matching events in the window
    /// changes by time alone: an event leaving it (its time + window) or a future-stamped event entering it.
    /// </summary>
    DateTimeOffset? NextWindowChange(string type, TimeSpan window, DateTimeOffset now, Func<IRuleEvent, bool>? where);
}
