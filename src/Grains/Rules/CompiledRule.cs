namespace CustomerGrains.Grains.Rules;

/// <summary>A rule compiled once to a delegate; cheap to evaluate per customer and per event.</summary>
public sealed class CompiledRule(RuleNode ast, string text, Func<IRuleSubject, DateTimeOffset, bool> evaluate)
{
    /// <summary>Canonical text: re-parses to the same rule.</summary>
    public string Text { get; } = text;

    public RuleNode Ast { get; } = ast;

    public bool Evaluate(IRuleSubject subject, DateTimeOffset now) => evaluate(subject, now);
}
