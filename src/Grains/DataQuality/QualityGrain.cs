using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Quality;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.DataQuality;

/// <summary>
/// A store's data-quality report: a <see cref="QualityIndex"/> over the facts its customers report. Written behind,
/// whole, at most every <see cref="QualityOptions.WriteEvery"/>; each merge is answered with what is written so far
/// (<see cref="QualityAck"/>), so a silo sends again what a crash of the report lost. A rebuild asks every customer of
/// the store's directory and drops those the directory no longer has.
/// </summary>
public sealed class QualityGrain : Grain, IQualityGrain
{
    private const int RebuildPage = 256;

    private readonly IPersistentState<QualityState> _state;
    private readonly CustomerDirectoryReader _customers;
    private readonly IQualitySubjects _subjects;
    private readonly TimeProvider _time;
    private readonly IOptions<QualityOptions> _options;
    private readonly ILogger<QualityGrain> _logger;
    private readonly CoalescingWriter _writer;
    private readonly Guid _epoch = Guid.NewGuid();
    private QualityIndex _index = null!;
    private long _merges;
    private long _writtenThrough;
    private bool _dirty;
    private int _writing;
    private IGrainTimer? _write;
    private IGrainTimer? _rebuild;

    // During a rebuild: the customers whose updates arrived meanwhile (newer than what the pass may have read, and alive).
    private HashSet<string>? _touched;

    public QualityGrain(
        [PersistentState(StorageNames.QualityState, StorageNames.Provider)] IPersistentState<QualityState> state,
        CustomerDirectoryReader customers,
        IQualitySubjects subjects,
        [FromKeyedServices(EngineClock.Key)] TimeProvider time,
        IOptions<QualityOptions> options,
        ILogger<QualityGrain> logger)
    {
        _state = state;
        _customers = customers;
        _subjects = subjects;
        _time = time;
        _options = options;
        _logger = logger;
        _writer = new CoalescingWriter(state.WriteStateAsync);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _index = new QualityIndex(_state.State.Customers, [.. _state.State.KeyTraits ?? [.. QualityChecks.DefaultKeyTraits]]);

        // A rebuild the previous activation did not finish starts over.
        if (_state.State.Rebuild.Running)
        {
            StartRebuild();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await WriteAsync();
        }
    }

    public Task<QualityAck> MergeAsync(ImmutableArray<QualityUpdate> updates)
    {
        var now = _time.GetUtcNow();
        var changed = false;
        foreach (var update in updates)
        {
            changed |= _index.Apply(update, now);
            _touched?.Add(update.CustomerId);
        }

        if (!updates.IsEmpty)
        {
            _merges++;
        }

        if (changed)
        {
            Changed();
        }
        else if (!_dirty && _writing == 0)
        {
            // Nothing waits to be written: every merge so far is as durable as it needs to be.
            _writtenThrough = _merges;
        }

        return Task.FromResult(new QualityAck(_epoch, updates.IsEmpty ? 0 : _merges, _writtenThrough));
    }

    public async Task<QualitySummary> SummaryAsync(int? inactiveDays) =>
        _index.Summary(_time.GetUtcNow(), inactiveDays ?? await DefaultInactiveDaysAsync(), _state.State.Rebuild);

    public async Task<QualityPageResult> PageAsync(QualityQuery query)
    {
        var days = query.Check == QualityChecks.Obsolete ? query.InactiveDays ?? await DefaultInactiveDaysAsync() : 0;
        return _index.Page(query, _time.GetUtcNow(), days);
    }

    public Task<ImmutableArray<string>> GetKeyTraitsAsync() => Task.FromResult(_index.KeyTraits);

    public async Task SetKeyTraitsAsync(ImmutableArray<string> keyTraits)
    {
        _state.State.KeyTraits = [.. keyTraits];
        _index.SetKeyTraits(keyTraits);
        await WriteAsync(throwIfFailed: true);
    }

    public Task<QualityRebuild> RebuildAsync()
    {
        if (!_state.State.Rebuild.Running)
        {
            // Written behind like the rest: an activation that finds it running (after a crash) starts it over.
            _state.State.Rebuild = new QualityRebuild(true, _time.GetUtcNow(), null, 0);
            StartRebuild();
            Changed();
        }

        return Task.FromResult(_state.State.Rebuild);
    }

    private async Task<int> DefaultInactiveDaysAsync() =>
        (await GrainFactory.GetGrain<IPopulationGrain>(this.GetPrimaryKeyString()).GetRetentionAsync()).InactiveDays ?? QualityIndex.DefaultInactiveDays;

    private void Changed()
    {
        _dirty = true;
        _write ??= this.RegisterGrainTimer(
            WriteBehindAsync,
            new GrainTimerCreationOptions { DueTime = _options.Value.WriteEvery, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
    }

    private async Task WriteBehindAsync(CancellationToken cancellationToken)
    {
        await WriteAsync();
        _write?.Dispose();
        _write = null;
        if (_dirty)
        {
            Changed();
        }
    }

    /// <summary>Writes the report whole; merges up to this call are then durable. A failed write is tried again later (and thrown if asked).</summary>
    private async Task WriteAsync(bool throwIfFailed = false)
    {
        var through = _merges;
        _dirty = false;
        _writing++;
        try
        {
            await _writer.WriteAsync();
            // Merges after this call are written too unless they changed something or another write is still on its way.
            _writtenThrough = Math.Max(_writtenThrough, _dirty || _writing > 1 ? through : _merges);
        }
        catch (Exception error)
        {
            _logger.LogFailure(LogLevel.Warning, error, "The data-quality report of store {Store} was not written; trying again", this.GetPrimaryKeyString());
            Changed();
            if (throwIfFailed)
            {
                throw;
            }
        }
        finally
        {
            _writing--;
        }
    }

    private void StartRebuild()
    {
        _touched = new HashSet<string>(StringComparer.Ordinal);
        _rebuild = this.RegisterGrainTimer(
            RebuildPassAsync,
            new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
    }

    /// <summary>
    /// Asks every customer of the store's directory for its facts, in pages, then drops whoever the report holds that the
    /// directory did not list and that reported nothing meanwhile (a removal the report never heard of).
    /// </summary>
    private async Task RebuildPassAsync(CancellationToken cancellationToken)
    {
        var store = this.GetPrimaryKeyString();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var started = _state.State.Rebuild.StartedAt;
        try
        {
            await _customers.ForEachPageAsync(store, RebuildPage, async ids =>
            {
                var updates = await _subjects.QualityAsync(store, ids);
                var now = _time.GetUtcNow();
                foreach (var update in updates)
                {
                    _index.Apply(update, now);
                }

                listed.UnionWith(ids);
                _state.State.Rebuild = _state.State.Rebuild with { Customers = listed.Count };
                return !cancellationToken.IsCancellationRequested;
            });

            foreach (var id in _index.CustomerIds())
            {
                if (!listed.Contains(id) && !_touched!.Contains(id))
                {
                    _index.Remove(id);
                }
            }

            _state.State.Rebuild = new QualityRebuild(false, started, _time.GetUtcNow(), listed.Count);
        }
        catch (Exception error)
        {
            _state.State.Rebuild = _state.State.Rebuild with { Running = false };
            _logger.LogFailure(LogLevel.Warning, error, "Rebuilding the data-quality report of store {Store} failed; start it again", store);
        }
        finally
        {
            _touched = null;
            _rebuild?.Dispose();
            _rebuild = null;
            Changed();
        }
    }
}
