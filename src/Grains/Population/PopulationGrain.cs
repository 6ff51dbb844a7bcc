using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Population;

public sealed class PopulationGrain : Grain, IPopulationGrain
{
    private readonly IPersistentState<PopulationState> _state;
    private readonly CustomerDirectoryReader _customers;
    private readonly PurchaseRowReader _buyers;
    private readonly ISegmentSubjects _subjects;
    private readonly IOptions<ClassificationOptions> _options;
    private readonly ILogger<PopulationGrain> _logger;
    private readonly CoalescingWriter _writer;
    private PopulationThresholds _thresholds = PopulationThresholds.Empty;
    private IGrainTimer? _reclassify;

    // Whether the next pass must re-decide every customer: a change of the settings, the retention or the models reaches
    // customers without orders too; the statistics alone move only the classes of customers with orders.
    private bool _everyone;

    public PopulationGrain(
        [PersistentState(StorageNames.PopulationState, StorageNames.Provider)] IPersistentState<PopulationState> state,
        CustomerDirectoryReader customers,
        PurchaseRowReader buyers,
        ISegmentSubjects subjects,
        IOptions<ClassificationOptions> options,
        ILogger<PopulationGrain> logger)
    {
        _state = state;
        _customers = customers;
        _buyers = buyers;
        _subjects = subjects;
        _options = options;
        _logger = logger;
        _writer = new CoalescingWriter(state.WriteStateAsync);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _thresholds = Thresholds();
        return Task.CompletedTask;
    }

    public Task<ClassificationSettings> GetSettingsAsync() => Task.FromResult(_state.State.Settings);

    public Task SetSettingsAsync(ClassificationSettings settings)
    {
        _state.State.Settings = settings;
        return ChangedAsync(everyone: true);
    }

    public Task<RetentionSettings> GetRetentionAsync() => Task.FromResult(_state.State.Retention);

    public async Task SetRetentionAsync(RetentionSettings retention)
    {
        _state.State.Retention = retention;
        await ChangedAsync(everyone: true);

        // A purge checks the retention it reads when the deadline comes: every silo reads the new one from now on.
        await ForgetEverywhereAsync();
    }

    public Task<IdentitySettings> GetIdentityAsync() => Task.FromResult(_state.State.Identity ?? IdentitySettings.Default);

    public async Task SetIdentityAsync(IdentitySettings identity)
    {
        // No customer's class moves: no reclassification pass. Customers read the matching traits with the thresholds, so
        // every silo reads the new ones from now on; they apply to the values customers take from then on.
        _state.State.Identity = identity;
        _thresholds = Thresholds();
        await _writer.WriteAsync();
        await ForgetEverywhereAsync();
    }

    public async Task SetModelsAsync(Prediction.StoreModels? models)
    {
        _state.State.Models = models;
        await ChangedAsync(everyone: true);
        await ForgetEverywhereAsync();
    }

    public async Task SetLookalikeAsync(string id, Prediction.StoreLookalike? lookalike)
    {
        var all = _state.State.Lookalikes ?? System.Collections.Immutable.ImmutableDictionary<string, Prediction.StoreLookalike>.Empty.WithComparers(StringComparer.Ordinal);
        _state.State.Lookalikes = lookalike is null ? all.Remove(id) : all.SetItem(id, lookalike);
        await ChangedAsync(everyone: true);
        await ForgetEverywhereAsync();
    }

    /// <summary>
    /// New models are written: every silo drops its copy of this store's population, so that what is decided next (a
    /// segment created right after a training, a ranking) reads them, and the reclassification pass re-decides the rest.
    /// </summary>
    private Task ForgetEverywhereAsync()
    {
        var store = this.GetPrimaryKeyString();
        return SiloBroadcast.ToEverySiloAsync<IPopulationCacheGrain>(GrainFactory, cache => cache.ForgetAsync(store));
    }

    public Task MergeAsync(PopulationSketch delta)
    {
        _state.State.Sketch.Merge(delta);
        return ChangedAsync(everyone: false);
    }

    private Task ChangedAsync(bool everyone)
    {
        _thresholds = Thresholds();
        _everyone |= everyone;

        ScheduleReclassify();
        return _writer.WriteAsync();
    }

    /// <summary>Any change may move someone's class: one pass, at most every ReclassifyEvery, over the customers it can move.</summary>
    private void ScheduleReclassify() =>
        _reclassify ??= this.RegisterGrainTimer(
            ReclassifyAsync,
            new GrainTimerCreationOptions { DueTime = _options.Value.ReclassifyEvery, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });

    private PopulationThresholds Thresholds() => PopulationThresholds.From(
        _state.State.Sketch, _state.State.Settings, _state.State.Models, _state.State.Lookalikes, _state.State.Retention, _state.State.Identity);

    public Task<PopulationThresholds> GetThresholdsAsync() => Task.FromResult(_thresholds);

    /// <summary>
    /// The population changed: its customers re-evaluate, so memberships on tiers, RFM, lifecycle and predictions follow.
    /// When only the statistics changed, only the customers with orders: a customer without orders has no value tier or
    /// RFM scores whatever the statistics say (<see cref="PopulationThresholds.Classify"/>), and nothing else it decides
    /// reads them — so a store's traffic does not wake every customer it has once a minute, and idle ones stay idle.
    /// </summary>
    private async Task ReclassifyAsync(CancellationToken cancellationToken)
    {
        var store = this.GetPrimaryKeyString();
        var everyone = _everyone;
        _everyone = false;
        try
        {
            Func<List<string>, Task<bool>> reevaluate = async ids =>
            {
                await _subjects.ReevaluateAsync(store, ids, 0);
                return !cancellationToken.IsCancellationRequested;
            };
            await (everyone ? _customers.ForEachPageAsync(store, 256, reevaluate) : _buyers.ForEachBuyerPageAsync(store, 256, reevaluate));
        }
        catch (Exception error)
        {
            _everyone |= everyone;
            _logger.LogFailure(LogLevel.Warning, error, "Reclassifying the customers of store {Store} failed; it runs again on the next change (a pass over everyone, within ReclassifyEvery)", store);
        }
        finally
        {
            _reclassify?.Dispose();
            _reclassify = null;

            // A change of settings, retention or models that came during a pass over the buyers still reaches everyone.
            if (_everyone)
            {
                ScheduleReclassify();
            }
        }
    }
}
