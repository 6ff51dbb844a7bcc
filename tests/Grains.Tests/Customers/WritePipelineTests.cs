using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Grains.Tests.Customers;

public sealed class WritePipelineTests
{
    [Fact]
    public async Task After_commit_steps_run_in_write_order_whatever_order_the_commits_complete_in()
    {
        var pipeline = new WritePipeline(() => { });
        var first = new TaskCompletionSource<long>();
        var second = new TaskCompletionSource<long>();
        var ran = new List<long>();

        var one = pipeline.Queue(_ => first.Task, seq => Record(ran, seq));
        var two = pipeline.Queue(_ => second.Task, seq => Record(ran, seq));
        second.SetResult(2);
        Assert.False(two.IsCompleted);
        first.SetResult(1);
        await Task.WhenAll(one, two);

        Assert.Equal([1L, 2L], ran);
        Assert.Equal(2, pipeline.Queued);
    }

    [Fact]
    public async Task Each_write_is_started_after_the_one_queued_before_it()
    {
        var pipeline = new WritePipeline(() => { });
        var followed = new List<Task<long>?>();
        var first = Task.FromResult(7L);

        await pipeline.Queue(previous => { followed.Add(previous); return first; }, _ => Task.CompletedTask);
        await pipeline.Queue(previous => { followed.Add(previous); return Task.FromResult(8L); }, _ => Task.CompletedTask);

        Assert.Null(followed[0]);
        Assert.Same(first, followed[1]);
    }

    [Fact]
    public async Task A_failed_write_breaks_the_pipeline_and_every_later_write_is_refused()
    {
        var breaks = 0;
        var pipeline = new WritePipeline(() => breaks++);
        var later = false;

        var failing = pipeline.Queue(_ => Task.FromException<long>(new InvalidOperationException("disk")), _ => Task.CompletedTask);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);

        Assert.True(pipeline.IsBroken);
        Assert.Equal(1, breaks);
        Assert.Throws<Orleans.Storage.InconsistentStateException>(() => { _ = pipeline.Queue(_ => Task.FromResult(1L), _ => { later = true; return Task.CompletedTask; }); });
        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => pipeline.AfterQueued(() => Task.CompletedTask));
        Assert.False(later);
    }

    [Fact]
    public async Task A_step_that_runs_alone_waits_for_queued_writes_and_holds_new_decisions_back()
    {
        var pipeline = new WritePipeline(() => { });
        var commit = new TaskCompletionSource<long>();
        var alone = new TaskCompletionSource();
        var events = new List<string>();

        var write = pipeline.Queue(_ => commit.Task, _ => { events.Add("delivered"); return Task.CompletedTask; });
        var exclusive = pipeline.ExclusiveAsync(async () => { events.Add("alone"); await alone.Task; events.Add("alone done"); });
        var entered = pipeline.EnterAsync().ContinueWith(_ => events.Add("entered"), TaskScheduler.Default);
        Assert.Empty(events);

        commit.SetResult(1);
        await write;
        Assert.Equal(["delivered", "alone"], events);

        alone.SetResult();
        await exclusive;
        await entered;
        Assert.Equal(["delivered", "alone", "alone done", "entered"], events);
    }

    [Fact]
    public async Task A_step_after_the_queued_ones_waits_for_their_deliveries()
    {
        var pipeline = new WritePipeline(() => { });
        var commit = new TaskCompletionSource<long>();
        var events = new List<string>();

        var write = pipeline.Queue(_ => commit.Task, _ => { events.Add("delivered"); return Task.CompletedTask; });
        var resend = pipeline.AfterQueued(() => { events.Add("resent"); return Task.CompletedTask; });
        Assert.False(resend.IsCompleted);

        commit.SetResult(1);
        await Task.WhenAll(write, resend);
        Assert.Equal(["delivered", "resent"], events);
    }

    private static Task Record(List<long> ran, long seq)
    {
        ran.Add(seq);
        return Task.CompletedTask;
    }
}
