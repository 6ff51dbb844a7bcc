using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>The group-commit loop on its own, over a committer that records its batches instead of storing them.</summary>
public sealed class JournalWriterTests
{
    [Fact]
    public async Task Writes_arriving_during_a_commit_go_into_the_next_batch_together()
    {
        var committer = new RecordingCommitter();
        await using var writer = new JournalWriter(committer, TimeProvider.System, NullLogger<JournalWriter>.Instance);
        await writer.StartingAsync(CancellationToken.None);

        var first = writer.WriteAsync(Write("a"));
        await committer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = new[] { writer.WriteAsync(Write("b")), writer.WriteAsync(Write("c")) };
        committer.Release();

        var sequences = await Task.WhenAll([first, .. rest]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 2L, 3L], sequences);
        Assert.Equal([["a"], ["b", "c"]], committer.Batches);
        Assert.Equal(0, writer.Waiting);
    }

    [Fact]
    public async Task Stopping_commits_what_was_accepted_and_refuses_what_comes_after()
    {
        var committer = new RecordingCommitter { Hold = false };
        var writer = new JournalWriter(committer, TimeProvider.System, NullLogger<JournalWriter>.Instance);
        var accepted = writer.WriteAsync(Write("before"));

        // Queued before the host started the loop, committed by the time the host has stopped.
        await writer.StartingAsync(CancellationToken.None);
        await writer.StoppedAsync(CancellationToken.None);

        Assert.True(accepted.IsCompletedSuccessfully);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => writer.WriteAsync(Write("after")));
        await writer.DisposeAsync();
        Assert.Equal([["before"]], committer.Batches);
    }

    [Fact]
    public async Task A_group_of_writes_commits_in_one_batch_even_when_the_batch_before_it_is_full()
    {
        var committer = new RecordingCommitter();
        await using var writer = new JournalWriter(committer, TimeProvider.System, NullLogger<JournalWriter>.Instance);
        await writer.StartingAsync(CancellationToken.None);

        var first = writer.WriteAsync(Write("a"));
        await committer.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        // 1,023 single writes and then a group of two: the next batch (at most 1,024) has room for one more write only.
        var singles = Enumerable.Range(0, 1023).Select(i => writer.WriteAsync(Write($"w{i}"))).ToList();
        var group = writer.WriteGroupAsync([Write("secondary"), Write("primary")]);
        committer.Release();
        await Task.WhenAll([first, .. singles, .. group]).WaitAsync(TimeSpan.FromSeconds(10));

        var holding = committer.Batches.Where(b => b.Contains("secondary") || b.Contains("primary")).ToList();
        Assert.Single(holding);
        Assert.Equal(["secondary", "primary"], holding[0][^2..]);
        Assert.Equal(0, writer.Waiting);
    }

    [Fact]
    public async Task A_group_commits_both_or_neither()
    {
        var committer = new RecordingCommitter { Hold = false, FailWhenWriting = "primary" };
        await using var writer = new JournalWriter(committer, TimeProvider.System, NullLogger<JournalWriter>.Instance);
        await writer.StartingAsync(CancellationToken.None);

        var group = writer.WriteGroupAsync([Write("secondary"), Write("primary")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => group[0]).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<InvalidOperationException>(() => group[1]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(committer.Committed);
        Assert.Equal(0, writer.Waiting);
    }

    [Fact]
    public async Task A_group_whose_write_follows_a_failed_one_is_refused_whole()
    {
        var committer = new RecordingCommitter { Hold = false };
        await using var writer = new JournalWriter(committer, TimeProvider.System, NullLogger<JournalWriter>.Instance);
        await writer.StartingAsync(CancellationToken.None);

        var group = writer.WriteGroupAsync([Write("secondary"), Write("primary") with { After = Task.FromException<long>(new TimeoutException()) }]);

        await Assert.ThrowsAsync<TimeoutException>(() => group[0]).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<TimeoutException>(() => group[1]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(committer.Batches);
    }

    private static JournalWrite Write(string customer) => new("s", customer, new JournalRecord([], []));

    private sealed class RecordingCommitter : IJournalCommitter
    {
        private readonly SemaphoreSlim _release = new(0);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _sequence;

        public bool Hold { get; init; } = true;

        public List<string[]> Batches { get; } = [];

        /// <summary>Customers whose writes were committed (a failing batch commits none).</summary>
        public List<string> Committed { get; } = [];

        /// <summary>A batch holding a write of this customer fails, as a transaction that rolls back.</summary>
        public string? FailWhenWriting { get; init; }

        public Task Entered => _entered.Task;

        public void Release() => _release.Release();

        public async Task<long[]> CommitAsync(IReadOnlyList<JournalWrite> batch, long nowUnixMs)
        {
            Batches.Add([.. batch.Select(w => w.CustomerId)]);
            if (Hold && Batches.Count == 1)
            {
                // Holds the first batch until the test has queued more behind it.
                _entered.SetResult();
                await _release.WaitAsync();
            }

            if (batch.Any(w => w.CustomerId == FailWhenWriting))
            {
                throw new InvalidOperationException("the transaction rolled back");
            }

            Committed.AddRange(batch.Select(w => w.CustomerId));
            return [.. batch.Select(_ => ++_sequence)];
        }
    }
}
