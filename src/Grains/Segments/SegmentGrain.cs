using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Segments;

public sealed class SegmentGrain : Grain, ISegmentGrain
{
    private const int BackfillPageSize = 256;

    private readonly IPersistentState<SegmentState> _state;
    private readonly TimeProvider _time;
    private readonly ILogger<SegmentGrain> _logger;
    private readonly CustomerDirectoryReader _customers;
    private readonly MemberRowWriter _memberRows;
    private readonly ISegmentSubjects _subjects;

    // The backfill timer interleaves with calls: all writes go through one writer so two never overlap.
    private readonly CoalescingWriter _writer;
    private IGrainTimer? _backfillTimer;

    public SegmentGrain(
        [PersistentState(StorageNames.SegmentState, StorageNames.Provider)] IPersistentState<SegmentState> state,
        [FromKeyedServices(EngineClock.Key)] TimeProvider time,
        CustomerDirectoryReader customers,
        MemberRowWriter memberRows,
        ISegmentSubjects subjects,
        ILogger<SegmentGrain> logger)
    {
        _customers = customers;
        _memberRows = memberRows;
        _subjects = subjects;
        _state = state;
        _time = time;
        _logger = logger;
        _writer = new CoalescingWriter(state.WriteStateAsync);
    }

    private string Store => GrainKeys.ParseSegment(this.GetPrimaryKeyString()).Store;

    private string SegmentId => GrainKeys.ParseSegment(this.GetPrimaryKeyString()).SegmentId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_state.State.Backfill is { Complete: false } && _state.State.CatalogVersion > 0)
        {
            // A backfill was under way when the previous activation ended: resume it.
            EnsureBackfillRunning();
        }

        return Task.CompletedTask;
    }

    public async Task PrepareAsync(SegmentDefinition definition)
    {
        if (definition.Pending)
        {
            // An edit: the serving version keeps answering while this one is backfilled beside it.
            _state.State.Pending = definition;
            await _memberRows.DropOtherVersionsAsync(Store, definition.Id, definition.Uid, _state.State.Definition?.Uid ?? Guid.Empty);
        }
        else
        {
            _state.State.Definition = definition;
            _state.State.Pending = null;
            await _memberRows.DropOtherVersionsAsync(Store, definition.Id, definition.Uid);
        }

        _state.State.Backfill = new BackfillStatus(definition.Version, false, 0, 0);
        _state.State.CatalogVersion = 0;
        await _writer.WriteAsync();
    }

    public async Task StartBackfillAsync(long version, long catalogVersion)
    {
        if (_state.State.Backfill?.Version != version)
        {
            return;
        }

        _state.State.CatalogVersion = catalogVersion;
        await _writer.WriteAsync();
        EnsureBackfillRunning();
    }

    public async Task DeleteAsync()
    {
        _backfillTimer?.Dispose();
        _backfillTimer = null;
        foreach (var definition in new[] { _state.State.Definition, _state.State.Pending }.OfType<SegmentDefinition>())
        {
            await Task.WhenAll(Shards(definition).Select(shard => shard.ClearAsync()));
            await _memberRows.DropOtherVersionsAsync(Store, definition.Id);
        }

        _state.State = new SegmentState();
        await _writer.WriteAsync();
    }

    public async Task<SegmentCount?> CountAsync()
    {
        if (_state.State.Definition is not { } definition)
        {
            return null;
        }

        var counts = await Task.WhenAll(Shards(definition).Select(shard => shard.CountAsync()));
        return new SegmentCount(counts.Sum(), _time.GetUtcNow());
    }

    public async Task<MemberPage?> MembersAsync(string? after, int limit)
    {
        if (_state.State.Definition is not { } definition)
        {
            return null;
        }

        // Each shard returns its own first `limit` members after the cursor; the merge keeps the global first `limit`.
        var pages = await Task.WhenAll(Shards(definition).Select(shard => shard.PageAsync(after, limit)));
        var items = pages.SelectMany(p => p)
            .OrderBy(m => m.CustomerId, StringComparer.Ordinal)
            .Take(limit)
            .ToImmutableArray();
        var more = items.Length == limit && pages.Sum(p => p.Length) > limit;
        return new MemberPage(items, more ? items[^1].CustomerId : null);
    }

    public async Task<MemberLookup> MemberAsync(string customerId)
    {
        if (_state.State.Definition is not { } definition)
        {
            return new MemberLookup(false, null);
        }

        var member = await ShardOf(definition, customerId).GetMemberAsync(customerId);
        return new MemberLookup(true, member);
    }

    private void EnsureBackfillRunning()
    {
        _backfillTimer ??= this.RegisterGrainTimer(
            RunBackfillAsync,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
    }

    private async Task RunBackfillAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A newer version can arrive while a backfill runs: keep going until the latest one is complete.
            while (_state.State.Backfill is { Complete: false } job && _state.State.CatalogVersion > 0 && !cancellationToken.IsCancellationRequested)
            {
                await BackfillAsync(job.Version, _state.State.CatalogVersion, cancellationToken);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogFailure(LogLevel.Error, error, "Backfill of segment {Segment} failed; it resumes on the next activation", this.GetPrimaryKeyString());
        }
        finally
        {
            _backfillTimer?.Dispose();
            _backfillTimer = null;
        }
    }

    private async Task BackfillAsync(long version, long catalogVersion, CancellationToken cancellationToken)
    {
        var total = await _customers.CountAsync(Store);
        var evaluated = 0L;
        var catalog = GrainFactory.GetGrain<ISegmentCatalogGrain>(Store);
        var superseded = false;
        await _customers.ForEachPageAsync(Store, BackfillPageSize, async ids =>
        {
            await _subjects.ReevaluateAsync(Store, ids, catalogVersion);
            evaluated += ids.Count;
            superseded = _state.State.Backfill?.Version != version || cancellationToken.IsCancellationRequested;
            if (!superseded)
            {
                await catalog.ReportBackfillAsync(SegmentId, new BackfillStatus(version, false, evaluated, Math.Max(total, evaluated)));
            }

            return !superseded;
        });
        if (superseded)
        {
            return;
        }

        var done = new BackfillStatus(version, true, evaluated, Math.Max(total, evaluated));
        _state.State.Backfill = done;
        await _writer.WriteAsync();
        await catalog.ReportBackfillAsync(SegmentId, done);
    }

    public async Task PromoteAsync(long version)
    {
        if (_state.State.Pending is not { } pending || pending.Version != version)
        {
            return;
        }

        // The switch clients see: from this turn on, every answer comes from the new version's shards.
        var previous = _state.State.Definition;
        _state.State.Definition = pending with { Pending = false };
        _state.State.Pending = null;
        await _writer.WriteAsync();
        if (previous is not null)
        {
            await Task.WhenAll(Shards(previous).Select(shard => shard.ClearAsync()));
        }

        await _memberRows.DropOtherVersionsAsync(Store, pending.Id, pending.Uid);
    }

    private IEnumerable<ISegmentShardGrain> Shards(SegmentDefinition definition) =>
        Enumerable.Range(0, definition.Shards).Select(n => SegmentShards.Grain(GrainFactory, Store, definition, n));

    private ISegmentShardGrain ShardOf(SegmentDefinition definition, string customerId) =>
        SegmentShards.Grain(GrainFactory, Store, definition, SegmentShards.Of(customerId, definition.Shards));
}
