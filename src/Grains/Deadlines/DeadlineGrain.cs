using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Deadlines;

public sealed class DeadlineGrain(DeadlineRowReader deadlines, IDueCustomers customers, [FromKeyedServices(EngineClock.Key)] TimeProvider time, ILogger<DeadlineGrain> logger, EngineMetrics metrics)
    : Grain, IDeadlineGrain
{
    private const int WakeAtOnce = 256;
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(30);

    private readonly SortedSet<(DateTimeOffset Due, string CustomerId)> _queue = [];
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private ITimer? _timer;
    private string _store = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A deadline must fire even if nothing calls this grain: stay active while the silo runs.
        DelayDeactivation(TimeSpan.FromDays(3650));
        var key = this.GetPrimaryKeyString();
        _store = GrainKeys.StoreOf(key);
        var shard = int.Parse(key[(key.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (customerId, due) in await deadlines.LoadShardAsync(_store, shard))
        {
            Put(customerId, due);
        }

        // The timer fires on a pool thread; it re-enters through a grain call so the work runs in the grain.
        var self = GrainFactory.GetGrain<IDeadlineGrain>(key);
        _timer = time.CreateTimer(_ => _ = self.FireAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task SetAsync(string customerId, DateTimeOffset? due)
    {
        if (_due.Remove(customerId, out var previous))
        {
            _queue.Remove((previous, customerId));
        }

        if (due is { } at)
        {
            Put(customerId, at);
        }

        Arm();
        return Task.CompletedTask;
    }

    public Task WakeAsync()
    {
        Arm();
        return Task.CompletedTask;
    }

    public async Task FireAsync()
    {
        var now = time.GetUtcNow();
        var due = _queue.TakeWhile(entry => entry.Due <= now).Take(WakeAtOnce).ToList();
        foreach (var entry in due)
        {
            _queue.Remove(entry);
            _due.Remove(entry.CustomerId);
            metrics.DeadlineFired((now - entry.Due).TotalSeconds);
        }

        var wakes = due.Select(async entry =>
        {
            try
            {
                await customers.WakeAsync(_store, entry.CustomerId, entry.Due);
            }
            catch (Exception error)
            {
                // Try again shortly, unless the customer registered a new deadline meanwhile.
                logger.LogFailure(LogLevel.Warning, error, "Waking a customer of store {Store} at its deadline failed; retrying", _store);
                if (!_due.ContainsKey(entry.CustomerId))
                {
                    Put(entry.CustomerId, time.GetUtcNow().AddSeconds(1));
                }
            }
        });
        await Task.WhenAll(wakes);
        Arm();
    }

    private void Put(string customerId, DateTimeOffset due)
    {
        _due[customerId] = due;
        _queue.Add((due, customerId));
    }

    /// <summary>Points the single timer at the earliest due time.</summary>
    private void Arm()
    {
        if (_timer is null)
        {
            return;
        }

        if (_queue.Count == 0)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // Timers take at most ~49 days; a later deadline is reached in steps (each firing re-arms).
        var wait = _queue.Min.Due - time.GetUtcNow();
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait, Timeout.InfiniteTimeSpan);
    }
}
