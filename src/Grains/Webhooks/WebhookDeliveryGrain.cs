using System.Collections.Immutable;
using CustomerGrains.Grains.Feed;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// Delivers one webhook's changes. A loop on the grain's own scheduler (so it interleaves with the calls below, never runs
/// beside them) reads the store's feed after the last delivered position, long-polling when nothing is new, keeps the
/// webhook's changes, and sends them in batches of at most <see cref="WebhookOptions.BatchSize"/>, one batch at a time: the
/// position moves past a batch only once the receiver answered 2xx or the batch went to the dead letters after
/// <see cref="WebhookOptions.MaxAttempts"/> (and is written behind the deliveries, at most once a second). So every change is delivered at least once and a customer's changes arrive
/// in the order they were decided. A failed batch waits (<see cref="WebhookBackoff"/>) and is sent again, the same bytes with
/// the same <c>webhook-id</c>, also after a restart (<see cref="RetryingBatch"/>). A timer keeps the grain active and the loop
/// running; <see cref="WebhookKeeper"/> activates it after a restart. The host's clock times the waits and signs: receivers
/// check <c>webhook-timestamp</c> against their own.
/// </summary>
public sealed class WebhookDeliveryGrain : Grain, IWebhookDeliveryGrain
{
    /// <summary>Attempts kept in the delivery log.</summary>
    public const int LogSize = 200;

    /// <summary>
    /// Dead letters kept at most: with this many, a batch that fails its last attempt is not given up on but tried again every
    /// <see cref="WebhookOptions.RetryCap"/>, holding up the webhook, until some are replayed.
    /// </summary>
    public const int MaxDeadLetters = 1000;

    /// <summary>How long one read of the feed waits for a change.</summary>
    private static readonly TimeSpan FeedWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(30);

    /// <summary>How often a position moved past changes that were not the webhook's is written (a restart reads them again, harmlessly).</summary>
    private static readonly TimeSpan PassedOverWriteEvery = TimeSpan.FromSeconds(10);

    /// <summary>How often the position is written while batches are delivered.</summary>
    private static readonly TimeSpan WriteBehindEvery = TimeSpan.FromSeconds(1);

    /// <summary>Changes read per page when a batch is read again.</summary>
    private const int ReadAgainLimit = 500;

    private readonly IPersistentState<WebhookDeliveryState> _state;
    private readonly WebhookSender _sender;
    private readonly IOptions<WebhookOptions> _options;
    private readonly TimeProvider _host;
    private readonly ILogger<WebhookDeliveryGrain> _logger;
    private readonly EngineMetrics _metrics;
    private readonly CoalescingWriter _writer;
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private bool _stopped;

    /// <summary>The batch being retried, while this activation has it (else read again from the feed).</summary>
    private WebhookBatch? _retrying;

    private long _lastWrite;

    /// <summary>A write of the position is planned (<see cref="WriteBehindAsync"/>).</summary>
    private bool _writeBehind;

    public WebhookDeliveryGrain(
        [PersistentState(StorageNames.WebhookDeliveryState, StorageNames.Provider)] IPersistentState<WebhookDeliveryState> state,
        WebhookSender sender,
        IOptions<WebhookOptions> options,
        TimeProvider host,
        ILogger<WebhookDeliveryGrain> logger,
        EngineMetrics metrics)
    {
        _metrics = metrics;
        _state = state;
        _sender = sender;
        _options = options;
        _host = host;
        _logger = logger;
        _writer = new CoalescingWriter(WriteAsync);
    }

    private string Store => WebhookKeys.Parse(this.GetPrimaryKeyString()).Store;

    private string WebhookId => WebhookKeys.Parse(this.GetPrimaryKeyString()).WebhookId;

    private WebhookDeliveryState State => _state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(KeepRunning, new GrainTimerCreationOptions(TimeSpan.Zero, KeepAliveEvery) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Wake();
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }

        if (!_stopped)
        {
            // The position written behind, when this activation ends politely (a silo stopping, a rebalance).
            await _writer.WriteAsync().WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        }
    }

    public Task StartAsync() => KeepRunning();

    public async Task StopAsync()
    {
        _stopped = true;
        await _stopping.CancelAsync();
        Wake();
        if (_loop is { } loop)
        {
            await loop.ContinueWith(_ => { }, TaskScheduler.Current);
        }

        await _writer.WriteAsync(); // waits out a write in flight
        await _state.ClearStateAsync();
        DeactivateOnIdle();
    }

    public async Task<IReadOnlyList<DeadLetter>?> FailuresAsync() =>
        await DefinitionAsync() is { } definition ? (definition.Uid == State.Uid ? [.. State.DeadLetters] : []) : null;

    public async Task<IReadOnlyList<DeliveryAttempt>?> DeliveriesAsync() =>
        await DefinitionAsync() is { } definition ? (definition.Uid == State.Uid ? [.. Enumerable.Reverse(State.Log)] : []) : null;

    public async Task<int?> ReplayAsync()
    {
        if (await DefinitionAsync() is not { } definition)
        {
            return null;
        }

        if (definition.Uid != State.Uid || State.DeadLetters.Count == 0)
        {
            return 0;
        }

        State.DeadLetters = [.. State.DeadLetters.Select(d => d with { Replay = true })];
        await _writer.WriteAsync();
        Wake();
        await KeepRunning();
        return State.DeadLetters.Count;
    }

    private Task KeepRunning()
    {
        if (!_stopped && _loop is not { IsCompleted: false })
        {
            _loop = RunAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        await Task.Yield(); // the caller (a timer tick, a call) returns first
        var errors = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await DefinitionAsync() is not { } definition)
                {
                    // Deleted while this activation missed the stop: forget the progress of a webhook that is gone.
                    _stopped = true;
                    await _writer.WriteAsync();
                    await _state.ClearStateAsync();
                    DeactivateOnIdle();
                    return;
                }

                await AdoptAsync(definition);
                await StepAsync(definition, stop);
                errors = 0;
            }
            catch (InconsistentStateException error)
            {
                // Another activation wrote this state: this one is stale. The keeper wakes a fresh one.
                _logger.LogWarning("A webhook deliverer of store {Store} found its state changed elsewhere; deactivating: {Error}", Store, ErrorSummary.Of(error));
                DeactivateOnIdle();
                return;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                errors++;
                _logger.LogWarning("Deliveries of a webhook of store {Store} failed; trying again: {Error}", Store, ErrorSummary.Of(error));
                await PauseAsync(TimeSpan.FromSeconds(Math.Min(30, errors)), stop);
            }
        }
    }

    /// <summary>Makes the state this webhook's: a new webhook of an id starts afresh, from where its definition says.</summary>
    private async Task AdoptAsync(WebhookDefinition definition)
    {
        if (State.Uid == definition.Uid)
        {
            return;
        }

        _state.State = new WebhookDeliveryState { Uid = definition.Uid, Cursor = definition.StartAfter };
        _retrying = null;
        await _writer.WriteAsync();
    }

    /// <summary>One step: a dead letter asked to be replayed, else the batch being retried once due, else the next batch.</summary>
    private async Task StepAsync(WebhookDefinition definition, CancellationToken stop)
    {
        if (State.DeadLetters.FirstOrDefault(d => d.Replay) is { } letter)
        {
            await ReplayAsync(definition, letter, stop);
            return;
        }

        if (State.Retrying is { } retrying)
        {
            var wait = retrying.NextAttemptAt - _host.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await PauseAsync(wait, stop);
                return;
            }

            var batch = _retrying is { } held && held.After == retrying.After && held.Through == retrying.Through
                ? held
                : await ReadAgainAsync(definition, retrying.After, retrying.Through);
            if (batch is null)
            {
                Log(new DeliveryAttempt(_host.GetUtcNow(), "", null, "the batch being retried is older than the change feed's retention; its changes are gone", 0, 0, false));
                State.Retrying = null;
                State.Cursor = retrying.Through;
                await _writer.WriteAsync();
                return;
            }

            await AttemptAsync(definition, batch, retrying.Attempts, stop);
            return;
        }

        if (await NextAsync(definition, stop) is { } next)
        {
            await AttemptAsync(definition, next, 0, stop);
        }
    }

    /// <summary>The webhook's next changes after the position, up to a batch; null when there are none yet (or it was woken).</summary>
    private async Task<WebhookBatch?> NextAsync(WebhookDefinition definition, CancellationToken stop)
    {
        var size = _options.Value.BatchSize;
        var feed = GrainFactory.GetGrain<IChangeFeedGrain>(Store);
        var changes = ImmutableArray.CreateBuilder<FeedChange>();
        var from = State.Cursor;
        var at = from;
        var wait = FeedWait;
        while (true)
        {
            var reading = feed.ReadAsync(new ChangeQuery(at, null, size, wait));
            if (wait > TimeSpan.Zero && await Task.WhenAny(reading, _wake.Task) != reading)
            {
                return null; // a replay or a stop came first; the read's answer is not needed
            }

            var page = await reading;
            if (page.Expired)
            {
                // Behind the feed's retention (the receiver failed for longer than it): what came after may be gone.
                Log(new DeliveryAttempt(_host.GetUtcNow(), "", null,
                    "the webhook fell behind the change feed's retention; changes older than it may not have been delivered; it goes on from the feed's end",
                    0, 0, false));
                State.Cursor = page.Latest;
                await _writer.WriteAsync();
                return null;
            }

            stop.ThrowIfCancellationRequested();
            foreach (var change in page.Items)
            {
                if (definition.Wants(change))
                {
                    changes.Add(change);
                    if (changes.Count == size)
                    {
                        return new WebhookBatch(from, change.Cursor, changes.ToImmutable());
                    }
                }
            }

            at = page.Next ?? at;
            if (page.Items.Count < size)
            {
                break;
            }

            wait = TimeSpan.Zero;
        }

        if (changes.Count > 0)
        {
            return new WebhookBatch(from, at!, changes.ToImmutable());
        }

        if (at is not null && at != from)
        {
            State.Cursor = at;
            if (_host.GetElapsedTime(_lastWrite) > PassedOverWriteEvery)
            {
                await _writer.WriteAsync();
            }
        }

        return null;
    }

    /// <summary>The webhook's changes after <paramref name="after"/> up to <paramref name="through"/>; null when the feed no longer holds them.</summary>
    private async Task<WebhookBatch?> ReadAgainAsync(WebhookDefinition definition, ChangeCursor? after, ChangeCursor through)
    {
        var feed = GrainFactory.GetGrain<IChangeFeedGrain>(Store);
        var changes = ImmutableArray.CreateBuilder<FeedChange>();
        for (var at = after; at is null || CursorOrder.Compare(at, through) < 0;)
        {
            var page = await feed.ReadAsync(new ChangeQuery(at, null, ReadAgainLimit, TimeSpan.Zero));
            if (page.Expired)
            {
                return null;
            }

            foreach (var change in page.Items.TakeWhile(c => CursorOrder.Compare(c.Cursor, through) <= 0))
            {
                if (definition.Wants(change))
                {
                    changes.Add(change);
                }
            }

            if (page.Items.Count == 0 || page.Next is null)
            {
                break;
            }

            at = page.Next;
        }

        return changes.Count == 0 ? null : new WebhookBatch(after, through, changes.ToImmutable());
    }

    private async Task AttemptAsync(WebhookDefinition definition, WebhookBatch batch, int attemptsBefore, CancellationToken stop)
    {
        var messageId = batch.MessageId(definition.Uid);
        var attempt = await SendAsync(definition, messageId, batch, replay: false, stop);
        var options = _options.Value;
        if (attempt.Delivered)
        {
            State.Cursor = batch.Through;
            State.Retrying = null;
            _retrying = null;

            // Written behind, at most once a second: the next batches go out meanwhile. A state write waits its turn behind the
            // journal's group commits: awaiting it held a busy webhook to a few batches a second, and writing after every
            // batch delayed the commits that acknowledge events. A crash before the position is stored sends the batches
            // since the stored one again: at least once.
            _ = WriteBehindAsync();
            return;
        }

        var attempts = attemptsBefore + 1;
        var reason = Reason(attempt);
        if (attempts >= options.MaxAttempts && State.DeadLetters.Count < MaxDeadLetters)
        {
            State.DeadLetters.Add(new DeadLetter(messageId, batch.After, batch.Through, batch.Changes.Length, attempts, reason, attempt.At, Replay: false));
            _metrics.WebhookDeadLettered(Store);
            State.Cursor = batch.Through;
            State.Retrying = null;
            _retrying = null;
            _logger.LogWarning("A batch of a webhook of store {Store} went to its dead letters after {Attempts} attempts: {Reason}", Store, attempts, reason);
        }
        else
        {
            var delay = attempts >= options.MaxAttempts
                ? options.RetryCap
                : WebhookBackoff.Delay(attempts, options.RetryBase, options.RetryCap, Random.Shared.NextDouble());
            State.Retrying = new RetryingBatch(batch.After, batch.Through, attempts, _host.GetUtcNow() + delay, reason);
            _retrying = batch;
        }

        await _writer.WriteAsync();
    }

    /// <summary>Sends a dead letter again, once: delivered, it leaves the list; failed, it stays with one more attempt.</summary>
    private async Task ReplayAsync(WebhookDefinition definition, DeadLetter letter, CancellationToken stop)
    {
        var batch = await ReadAgainAsync(definition, letter.After, letter.Through);
        DeliveryAttempt attempt;
        if (batch is null)
        {
            attempt = new DeliveryAttempt(_host.GetUtcNow(), letter.MessageId, null, "older than the change feed's retention: its changes are gone", 0, 0, Replay: true);
            Log(attempt);
        }
        else
        {
            attempt = await SendAsync(definition, letter.MessageId, batch, replay: true, stop);
        }

        var index = State.DeadLetters.FindIndex(d => d.MessageId == letter.MessageId);
        if (index >= 0)
        {
            if (attempt.Delivered)
            {
                State.DeadLetters.RemoveAt(index);
            }
            else
            {
                State.DeadLetters[index] = State.DeadLetters[index] with
                {
                    Replay = false, Attempts = letter.Attempts + 1, LastError = Reason(attempt), FailedAt = attempt.At,
                };
            }
        }

        await _writer.WriteAsync();
    }

    private async Task<DeliveryAttempt> SendAsync(WebhookDefinition definition, string messageId, WebhookBatch batch, bool replay, CancellationToken stop)
    {
        WebhookSecret.TryParse(definition.Secret, out var key);
        var body = WebhookPayload.Write(Store, WebhookId, batch.Changes);
        var (status, error, latency, at) = await _sender.SendAsync(new Uri(definition.Info.Url), key, messageId, body, stop);
        stop.ThrowIfCancellationRequested();
        var attempt = new DeliveryAttempt(at, messageId, status, error, latency, batch.Changes.Length, replay);
        _metrics.WebhookAttempted(Store, attempt.Delivered, latency / 1000.0);
        Log(attempt);
        return attempt;
    }

    private void Log(DeliveryAttempt attempt)
    {
        State.Log.Add(attempt);
        if (State.Log.Count > LogSize)
        {
            State.Log.RemoveRange(0, State.Log.Count - LogSize);
        }
    }

    private static string Reason(DeliveryAttempt attempt) => attempt.Error ?? $"the receiver answered {attempt.Status}";

    private async Task WriteBehindAsync()
    {
        if (_writeBehind)
        {
            return; // the write already planned takes this change too
        }

        _writeBehind = true;
        try
        {
            var wait = WriteBehindEvery - _host.GetElapsedTime(_lastWrite);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _host);
            }

            _writeBehind = false; // a change from now on plans a write of its own
            await _writer.WriteAsync();
        }
        catch (Exception error)
        {
            // The next awaited write tries again with the state as it is then.
            _logger.LogWarning("Storing the progress of a webhook of store {Store} failed: {Error}", Store, ErrorSummary.Of(error));
            if (error is InconsistentStateException)
            {
                DeactivateOnIdle();
            }
        }
    }

    private Task<WebhookDefinition?> DefinitionAsync() => GrainFactory.GetGrain<IWebhookCatalogGrain>(Store).DefinitionAsync(WebhookId);

    private async Task WriteAsync()
    {
        await _state.WriteStateAsync();
        _lastWrite = _host.GetTimestamp();
    }

    /// <summary>Waits, until woken by a replay or a stop at the latest.</summary>
    private async Task PauseAsync(TimeSpan duration, CancellationToken stop)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stop);
        await Task.WhenAny(Task.Delay(duration, _host, done.Token), _wake.Task);
        await done.CancelAsync();
    }

    private void Wake()
    {
        var woken = _wake;
        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
    }
}
