namespace CustomerGrains.Grains.Rules;

/// <summary><c>left op right</c> with op one of == != &lt; &lt;= &gt; &gt;=.</summary>
public sealed record CompareNode(int Position, Operand Left, string Op, Operand Right) : RuleNode(Position);
