using System.Text;

namespace CustomerGrains.Grains.Rules;

/// <summary>Turns rule text into tokens: identifiers, numbers, durations (<c>30d</c>), strings, symbols.</summary>
public static class Lexer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ",", "."];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                if (i < text.Length && text[i] is 'm' or 'h' or 'd' or 'w'
                    && (i + 1 == text.Length || !char.IsAsciiLetterOrDigit(text[i + 1])))
                {
                    i++;
                    tokens.Add(new Token(TokenKind.Duration, text[start..i], start));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Number, text[start..i], start));
                }
            }
            else if (c == '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadString(text, ref i), start));
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
            {
                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, start));
            }
            else
            {
                throw new RuleSyntaxException(start, "a field, number, string or operator", $"'{c}'");
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    private static string ReadString(string text, ref int i)
    {
        var start = i++;
        var builder = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] is not ('"' or '\\'))
                {
                    throw new RuleSyntaxException(i, "\\\" or \\\\ after a backslash", i + 1 < text.Length ? $"'\\{text[i + 1]}'" : "the end of the rule");
                }

                i++;
            }

            builder.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw new RuleSyntaxException(start, "a closing '\"'", "the end of the rule");
        }

        i++;
        return builder.ToString();
    }
}
