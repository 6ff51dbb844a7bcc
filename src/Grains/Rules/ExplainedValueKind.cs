namespace CustomerGrains.Grains.Rules;

/// <summary>The kind of an <see cref="ExplainedValue"/>; numbered for the wire, never renumbered.</summary>
/// <remarks>Not <see cref="RuleValueKind"/>: rule values never leave a process, so its numbers may move; these cross silos.</remarks>
[GenerateSerializer, Alias("cg.ExplainedValueKind")]
public enum ExplainedValueKind : byte
{
    Bool = 1,
    Number = 2,
    Text = 3,
    List = 4,
    Time = 5,
}
