namespace CustomerGrains.Grains.Rules;

/// <summary>A lexed token; <see cref="Text"/> is the decoded value for strings.</summary>
public readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the rule",
        TokenKind.String => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
