using System.Text;

namespace CustomerGrains.Grains.Rules;

/// <summary>Turns rule text into tokens: identifiers, numbers, durations (<c>30d</c>), strings, symbols.</summary>
public static class Lexer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ",", "."];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        Append(text, 0, tokens);
        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    /// <summary>
    /// Lexes a piece of a rule that starts at <paramref name="offset"/> of the whole (a value of a JSON tree, see
    /// <see cref="RuleJsonReader"/>), so that tokens and mistakes carry their position in the whole.
    /// </summary>
    internal static void Append(string text, int offset, List<Token> tokens)
    {
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

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], offset + start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                // An exponent, as canonical text writes very large and very small numbers (1E+21, 1E-05).
                if (Exponent(text, i) is var exponent and > 0)
                {
                    i += exponent;
                    tokens.Add(new Token(TokenKind.Number, text[start..i], offset + start));
                }
                else if (i < text.Length && text[i] is 'm' or 'h' or 'd' or 'w'
                    && (i + 1 == text.Length || !char.IsAsciiLetterOrDigit(text[i + 1])))
                {
                    i++;
                    tokens.Add(new Token(TokenKind.Duration, text[start..i], offset + start));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Number, text[start..i], offset + start));
                }
            }
            else if (c == '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadString(text, offset, ref i), offset + start));
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
            {
                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, offset + start));
            }
            else
            {
                throw new RuleSyntaxException(offset + start, "a field, number, string or operator", $"'{c}'");
            }
        }
    }

    /// <summary>Length of an exponent (<c>e5</c>, <c>E+21</c>, <c>e-05</c>) at <paramref name="i"/>, or 0.</summary>
    private static int Exponent(string text, int i)
    {
        if (i >= text.Length || text[i] is not ('e' or 'E'))
        {
            return 0;
        }

        var j = i + 1;
        if (j < text.Length && text[j] is '+' or '-')
        {
            j++;
        }

        if (j >= text.Length || !char.IsAsciiDigit(text[j]))
        {
            return 0;
        }

        while (j < text.Length && char.IsAsciiDigit(text[j]))
        {
            j++;
        }

        return j - i;
    }

    private static string ReadString(string text, int offset, ref int i)
    {
        var start = i++;
        var builder = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] is not ('"' or '\\'))
                {
                    throw new RuleSyntaxException(offset + i, "\\\" or \\\\ after a backslash", i + 1 < text.Length ? $"'\\{text[i + 1]}'" : "the end of the rule");
                }

                i++;
            }

            // Stored rules are shown back as JSON and compared with stored values: no control characters,
            // no unpaired surrogates (they cannot be written as UTF-8).
            var c = text[i];
            if (char.IsControl(c) || (char.IsSurrogate(c) && !IsSurrogatePair(text, i)))
            {
                throw new RuleSyntaxException(offset + i, "a printable character in the string", $"U+{(int)c:X4}");
            }

            if (char.IsHighSurrogate(c))
            {
                builder.Append(c);
                i++;
            }

            builder.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw new RuleSyntaxException(offset + start, "a closing '\"'", "the end of the rule");
        }

        i++;
        return builder.ToString();
    }

    private static bool IsSurrogatePair(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
}
