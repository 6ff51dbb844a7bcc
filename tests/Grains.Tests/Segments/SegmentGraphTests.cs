using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Tests.Segments;

public sealed class SegmentGraphTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static SegmentDefinition Segment(string id, string rule, string? parent = null) =>
        new(id, id, null, rule, 1, Guid.NewGuid(), 8, At, At, parent);

    [Fact]
    public void Segments_are_ordered_after_the_segments_they_read()
    {
        var edges = SegmentGraph.Edges(
        [
            Segment("vip-lapsed", "in_segment(\"lapsed\")", parent: "vip"),
            Segment("lapsed", "days_since(last_order) > 60"),
            Segment("vip", "revenue > 1000"),
            Segment("all", "events >= 1"),
        ]);

        var order = SegmentGraph.Order(edges);

        Assert.Null(SegmentGraph.Check(edges));
        Assert.True(order.IndexOf("vip") < order.IndexOf("vip-lapsed"));
        Assert.True(order.IndexOf("lapsed") < order.IndexOf("vip-lapsed"));
        Assert.Equal(4, order.Count);
    }

    public static TheoryData<SegmentDefinition[], string> Invalid => new()
    {
        { [Segment("a", "in_segment(\"b\")"), Segment("b", "in_segment(\"a\")")], "cycle: a → b → a" },
        { [Segment("a", "orders > 1", parent: "a")], "cycle: a → a" },
        { [Segment("a", "in_segment(\"ghost\") or orders > 1")], "refers to segment 'ghost', which does not exist" },
        { [Segment("child", "orders > 1", parent: "gone")], "refers to segment 'gone'" },
        { [.. Enumerable.Range(0, 9).Select(i => Segment($"s{i}", i == 0 ? "orders > 1" : $"in_segment(\"s{i - 1}\")"))], "9 levels deep" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Cycles_dangling_references_and_deep_chains_are_rejected_with_the_reason(SegmentDefinition[] definitions, string reason)
    {
        Assert.Contains(reason, SegmentGraph.Check(SegmentGraph.Edges(definitions)), StringComparison.Ordinal);
    }

    [Fact]
    public void Eight_levels_are_allowed()
    {
        var chain = Enumerable.Range(0, 8).Select(i => Segment($"s{i}", i == 0 ? "orders > 1" : $"in_segment(\"s{i - 1}\")"));

        Assert.Null(SegmentGraph.Check(SegmentGraph.Edges(chain)));
    }
}
