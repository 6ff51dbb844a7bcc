namespace CustomerGrains.Grains.Rules;

/// <summary>A rule compiled once to a delegate; cheap to evaluate per customer and per event.</summary>
public sealed class CompiledRule(
    RuleNode ast,
    string text,
    Func<IRuleSubject, DateTimeOffset, bool> evaluate,
    Func<IRuleSubject, DateTimeOffset, DateTimeOffset?> nextDeadline)
{
    /// <summary>Canonical text: re-parses to the same rule.</summary>
    public string Text { get; } = text;

    public RuleNode Ast { get; } = ast;

    /// <summary>What the answer depends on; an evaluation pass skips the rule when none of it changed.</summary>
    public RuleInputs Inputs { get; } = RuleAnalysis.Inputs(ast);

    public bool Evaluate(IRuleSubject subject, DateTimeOffset now) => evaluate(subject, now);

    /// <summary>
    /// The earliest instant after <paramref name="now"/> at which this rule's answer for the subject can
    /// change with time alone (a window's content changing, a <c>days_since</c> reaching a value, a birthday, the
    /// lifecycle's next stage), or earlier; null when only new events (or another segment's membership) can change it.
    /// </summary>
    public DateTimeOffset? NextDeadline(IRuleSubject subject, DateTimeOffset now) => nextDeadline(subject, now);
}
