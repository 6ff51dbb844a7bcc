namespace CustomerGrains.Grains.Rules;

/// <summary>A rule that does not compile: where (0-based character offset) and what was expected.</summary>
public sealed class RuleSyntaxException(int position, string expected, string found)
    : Exception(position >= 0 ? $"at position {position}: expected {expected} but found {found}" : $"expected {expected} but found {found}")
{
    public int Position { get; } = position;

    public string Expected { get; } = expected;
}
