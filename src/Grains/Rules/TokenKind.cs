namespace CustomerGrains.Grains.Rules;

public enum TokenKind
{
    End = 0,
    Identifier = 1,
    Number = 2,
    String = 3,
    Duration = 4,
    Symbol = 5,
}
