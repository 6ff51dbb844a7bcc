using System.Collections.Concurrent;
using System.Collections.Immutable;
using CustomerGrains.Grains.Rules;

namespace CustomerGrains.Grains.Segments;

/// <summary>
/// The compiled rule of every segment definition this process has seen, parsed once per distinct stored rule and
/// parent: the catalog's check of a draft, the reference graph (<see cref="SegmentGraph"/>), and every silo's
/// compiled catalog (<see cref="Evaluation.SegmentRuleCache"/>) all read the same instance, its tree, analysis and delegates.
/// </summary>
/// <remarks>
/// Keyed by what the compiled rule is made of, the stored canonical text and the parent, rather than by
/// (uid, version): the catalog checks a draft before its version has a uid, and a re-derived dependent (a new
/// version of the same text) needs no parse at all. The parent is composed as a tree, never spliced into text, so
/// the effective rule is neither re-read nor subject to the text limits its own rule already passed.
/// </remarks>
public static class SegmentRules
{
    /// <summary>
    /// Far more than the rules a process serves at once (a store has at most
    /// <see cref="SegmentLimits.MaxSegmentsPerStore"/>); past it the cache starts again rather than grow with every
    /// edit ever made: a rule still in use is then parsed once more, catalogs keep the instances they hold.
    /// </summary>
    private const int MaxEntries = 16 * 1024;

    private static readonly ConcurrentDictionary<(string Rule, string? Parent), Lazy<CompiledRule>> _rules = new();

    /// <summary>The effective rule of a definition: its own, within its parent's members when it has one.</summary>
    public static CompiledRule Of(SegmentDefinition definition) => Of(definition.Rule, definition.Parent);

    /// <summary>
    /// The effective rule of a (rule text, parent) pair, parsed on first use only. Throws
    /// <see cref="RuleSyntaxException"/>, positioned in <paramref name="rule"/>, when the text does not compile;
    /// nothing is kept for it.
    /// </summary>
    public static CompiledRule Of(string rule, string? parent)
    {
        var key = (rule, parent);
        Trim();
        var entry = _rules.GetOrAdd(key, static k => new Lazy<CompiledRule>(() => Compose(RuleCompiler.Parse(k.Rule, out _), k.Parent)));
        try
        {
            return entry.Value;
        }
        catch
        {
            // Invalid drafts are not remembered: hostile input must not fill the cache.
            _rules.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    /// <summary>
    /// Records a rule the caller has just parsed and checked (<see cref="RuleCompiler.Parse"/>) under its canonical
    /// text, so that a catalog in this process finds it instead of reading the text again. Compiling waits for first use.
    /// </summary>
    public static void Remember(string canonical, string? parent, RuleNode ast)
    {
        Trim();
        _rules.TryAdd((canonical, parent), new Lazy<CompiledRule>(() => Compose(ast, parent)));
    }

    /// <summary>Whether the pair is held, without parsing it: how the tests see that nothing parsed a rule again.</summary>
    internal static bool TryPeek(string rule, string? parent, out CompiledRule? compiled)
    {
        compiled = _rules.TryGetValue((rule, parent), out var entry) && entry.IsValueCreated ? entry.Value : null;
        return compiled is not null;
    }

    private static void Trim()
    {
        if (_rules.Count >= MaxEntries)
        {
            _rules.Clear();
        }
    }

    private static CompiledRule Compose(RuleNode ast, string? parent)
    {
        // The tree `in_segment("parent") and (rule)` parses to, without writing or reading that text.
        return RuleCompiler.Compile(parent is null ? ast : new AndNode(0, ImmutableArray.Create(new InSegmentNode(0, parent), ast)));
    }
}
