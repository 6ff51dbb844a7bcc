using System.Collections.Immutable;
using CustomerGrains.Grains.Quality;

namespace CustomerGrains.Grains.Tests.Quality;

/// <summary>A silo's updates for one store's report: newest per customer, kept until written, resent to a restarted report.</summary>
public sealed class QualityOutboxTests
{
    private static readonly Guid First = Guid.NewGuid();
    private static readonly Guid Restarted = Guid.NewGuid();

    [Fact]
    public void Only_the_newest_update_of_a_customer_is_sent()
    {
        var outbox = new QualityOutbox();
        outbox.Keep(Update("a", 2));
        outbox.Keep(Update("a", 1));
        outbox.Keep(Update("b", 1));
        outbox.Keep(Update("b", 3));

        Assert.Equal([("a", 2L), ("b", 3L)], Sorted(outbox.Take()));
        Assert.Empty(outbox.Take());
    }

    [Fact]
    public void A_batch_is_kept_until_a_write_covers_it()
    {
        var outbox = new QualityOutbox();
        outbox.Keep(Update("a", 1));
        var batch = outbox.Take();

        outbox.Sent(batch, new QualityAck(First, 1, 0));
        Assert.False(outbox.IsIdle);
        outbox.Sent(outbox.Take(), new QualityAck(First, 0, 1));

        Assert.True(outbox.IsIdle);
    }

    [Fact]
    public void A_report_that_restarted_before_writing_gets_the_unwritten_batches_again_the_newest_update_winning()
    {
        var outbox = new QualityOutbox();
        outbox.Keep(Update("a", 1));
        outbox.Keep(Update("b", 1));
        outbox.Sent(outbox.Take(), new QualityAck(First, 1, 0));
        outbox.Keep(Update("a", 4));
        var written = outbox.Take();
        outbox.Sent(written, new QualityAck(First, 2, 0));

        // The report restarted (a new epoch) before writing either batch; what it takes now is all it has.
        outbox.Keep(Update("c", 1));
        outbox.Sent(outbox.Take(), new QualityAck(Restarted, 1, 0));

        Assert.Equal([("a", 4L), ("b", 1L)], Sorted(outbox.Take()));
    }

    [Fact]
    public void A_batch_that_did_not_reach_the_report_goes_with_the_next_unless_replaced()
    {
        var outbox = new QualityOutbox();
        outbox.Keep(Update("a", 1));
        outbox.Keep(Update("b", 1));
        var lost = outbox.Take();
        outbox.Keep(Update("a", 2));

        outbox.Failed(lost);

        Assert.Equal([("a", 2L), ("b", 1L)], Sorted(outbox.Take()));
    }

    private static QualityUpdate Update(string id, long version) => new(id, version, null);

    private static (string, long)[] Sorted(ImmutableArray<QualityUpdate> batch) =>
        [.. batch.Select(u => (u.CustomerId, u.Version)).Order()];
}
