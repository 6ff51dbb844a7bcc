using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Infrastructure.Telemetry;

/// <summary>
/// The engine's instruments, one meter (<see cref="MeterName"/>) per process, exported by the hosts (README: "Operating it").
/// Names and units follow the OpenTelemetry conventions (dotted names, UCUM units, durations in seconds). Callers add once
/// per request, batch or commit, never per event, and no call allocates: tags are passed as structs, label values are
/// strings kept by <see cref="StoreLabels"/>.
/// </summary>
public sealed class EngineMetrics : IDisposable
{
    public const string MeterName = "CustomerGrains";

    public const string StoreAttribute = "customergrains.store";
    public const string OutcomeAttribute = "customergrains.outcome";
    public const string ChangeAttribute = "customergrains.change";
    public const string ModelAttribute = "customergrains.model";

    /// <summary>Bucket bounds for request and commit durations, in seconds: 0.5 ms to 10 s.</summary>
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>How late a deadline fires, in seconds: a timer's few milliseconds to a silo that was down for minutes.</summary>
    private static readonly double[] LatenessBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800];

    /// <summary>Fits take milliseconds on a small store and minutes on a large one.</summary>
    private static readonly double[] FitBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

    /// <summary>Writes per group commit: powers of two up to the writer's largest batch (1024).</summary>
    private static readonly long[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private static readonly KeyValuePair<string, object?> Accepted = new(OutcomeAttribute, "accepted");
    private static readonly KeyValuePair<string, object?> Duplicate = new(OutcomeAttribute, "duplicate");
    private static readonly KeyValuePair<string, object?> Rejected = new(OutcomeAttribute, "rejected");
    private static readonly KeyValuePair<string, object?> Entered = new(ChangeAttribute, "entered");
    private static readonly KeyValuePair<string, object?> Exited = new(ChangeAttribute, "exited");
    private static readonly KeyValuePair<string, object?> Delivered = new(OutcomeAttribute, "delivered");
    private static readonly KeyValuePair<string, object?> Failed = new(OutcomeAttribute, "failed");
    private static readonly KeyValuePair<string, object?> Fitted = new(OutcomeAttribute, "fitted");

    private readonly Meter _meter;
    private readonly StoreLabels _stores;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _ingestDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<double> _lateness;
    private readonly Counter<long> _segmentChanges;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Histogram<double> _webhookDuration;
    private readonly Counter<long> _deadLetters;
    private readonly Histogram<double> _fitDuration;
    private long _activeCustomers;

    public EngineMetrics(IOptions<MetricsOptions> options, IMeterFactory? meters = null)
    {
        // From the host's meter factory when there is one (a meter per service provider: test hosts in one process keep
        // theirs apart); a plain meter otherwise.
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _stores = new StoreLabels(options.Value.MaxStoreLabels);
        _events = _meter.CreateCounter<long>(
            "customergrains.events", "{event}", "Events received, by store and outcome: accepted, duplicate (an event id already recorded) or rejected (invalid, or its customer is suppressed).");
        _ingestDuration = _meter.CreateHistogram(
            "customergrains.ingest.duration", "s", "Time from the start of an ingest request's handling to its acknowledgement (everything in it durable).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _batchSize = _meter.CreateHistogram(
            "customergrains.journal.batch.size", "{write}", "Writes committed together in one group commit of the journal.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        _commitDuration = _meter.CreateHistogram(
            "customergrains.journal.commit.duration", "s", "Time one group commit of the journal takes (one database transaction).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _lateness = _meter.CreateHistogram(
            "customergrains.deadline.lateness", "s", "How late a customer's deadline wakes it, after the instant it was due.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });
        _meter.CreateObservableUpDownCounter(
            "customergrains.customers.active", () => Volatile.Read(ref _activeCustomers), "{customer}", "Customer grains active in this silo (in memory).");
        _segmentChanges = _meter.CreateCounter<long>(
            "customergrains.segment.changes", "{change}", "Segment membership changes decided and committed (each counted once, at its commit), by store and change: entered or exited.");
        _webhookDeliveries = _meter.CreateCounter<long>(
            "customergrains.webhook.deliveries", "{delivery}", "Webhook delivery attempts (one batch each), by store and outcome: delivered (2xx) or failed.");
        _webhookDuration = _meter.CreateHistogram(
            "customergrains.webhook.delivery.duration", "s", "Time a webhook delivery attempt took, until the receiver's answer or the error.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _deadLetters = _meter.CreateCounter<long>(
            "customergrains.webhook.dead_letters", "{batch}", "Webhook batches given up on after their last attempt and kept as dead letters.");
        _fitDuration = _meter.CreateHistogram(
            "customergrains.model.fit.duration", "s", "Time a model fit takes, by model (purchase: BG/NBD and Gamma-Gamma; lookalike) and outcome: fitted or failed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FitBuckets });
    }

    /// <summary>What an ingest request came to: its events accepted, refused as duplicates, rejected.</summary>
    public void Events(string store, long accepted, long duplicates, long rejected)
    {
        var label = StoreTag(store);
        AddIfAny(_events, accepted, label, Accepted);
        AddIfAny(_events, duplicates, label, Duplicate);
        AddIfAny(_events, rejected, label, Rejected);
    }

    /// <summary>An ingest request was acknowledged after <paramref name="seconds"/>.</summary>
    public void Acknowledged(string store, double seconds) => _ingestDuration.Record(seconds, StoreTag(store));

    /// <summary>A group commit of <paramref name="writes"/> ended after <paramref name="seconds"/>; <paramref name="error"/> when it failed.</summary>
    public void Committed(int writes, double seconds, Exception? error)
    {
        _batchSize.Record(writes);
        if (error is null)
        {
            _commitDuration.Record(seconds);
        }
        else
        {
            _commitDuration.Record(seconds, new KeyValuePair<string, object?>("error.type", error.GetType().FullName));
        }
    }

    /// <summary>A deadline woke its customer <paramref name="seconds"/> after it was due.</summary>
    public void DeadlineFired(double seconds) => _lateness.Record(Math.Max(0, seconds));

    public void CustomerActivated() => Interlocked.Increment(ref _activeCustomers);

    public void CustomerDeactivated() => Interlocked.Decrement(ref _activeCustomers);

    /// <summary>Membership changes committed in one customer's journal entry: customers who entered, customers who exited.</summary>
    public void SegmentChanged(string store, long entered, long exited)
    {
        var label = StoreTag(store);
        AddIfAny(_segmentChanges, entered, label, Entered);
        AddIfAny(_segmentChanges, exited, label, Exited);
    }

    /// <summary>One delivery attempt of a webhook batch.</summary>
    public void WebhookAttempted(string store, bool delivered, double seconds)
    {
        _webhookDeliveries.Add(1, StoreTag(store), delivered ? Delivered : Failed);
        _webhookDuration.Record(seconds, delivered ? Delivered : Failed);
    }

    public void WebhookDeadLettered(string store) => _deadLetters.Add(1, StoreTag(store));

    /// <summary>A fit of <paramref name="model"/> (<c>purchase</c> or <c>lookalike</c>) ended after <paramref name="seconds"/>.</summary>
    public void ModelFitted(string model, bool fitted, double seconds) =>
        _fitDuration.Record(seconds, new KeyValuePair<string, object?>(ModelAttribute, model), fitted ? Fitted : Failed);

    public void Dispose() => _meter.Dispose();

    private static void AddIfAny(Counter<long> counter, long value, KeyValuePair<string, object?> store, KeyValuePair<string, object?> kind)
    {
        if (value > 0)
        {
            counter.Add(value, store, kind);
        }
    }

    private KeyValuePair<string, object?> StoreTag(string store) => new(StoreAttribute, _stores.Of(store));
}
