using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// Sustained ingest as a store's client sends it: a few workers post batches of events with unique ids and
/// retry each batch (same body, same ids) until the Api acknowledges it, whatever goes wrong on the way
/// (503, timeouts, refused connections). Every attempt is recorded, so a test can say what clients saw.
/// </summary>
public sealed class IngestLoad : IAsyncDisposable
{
    public const string Store = "shop-a";
    public const int Customers = 200;
    public const int BatchSize = 40;

    private readonly HttpClient _http;
    private readonly int _workers;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly ConcurrentDictionary<int, Batch> _acknowledged = new();
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task _running = Task.CompletedTask;
    private int _next = -1;

    public IngestLoad(Uri api, string key, int workers = 4)
    {
        _workers = workers;
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>Time since the load was created: attempts are stamped on this clock.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public int Acknowledged => _acknowledged.Count;

    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    public void Start() => _running = Task.WhenAll(Enumerable.Range(0, _workers).Select(_ => Task.Run(WorkAsync)));

    /// <summary>Waits until <paramref name="more"/> further batches are acknowledged; false when the deadline passed first.</summary>
    public async Task<bool> WaitForMoreAsync(int more, TimeSpan deadline)
    {
        var target = Acknowledged + more;
        var limit = _clock.Elapsed + deadline;
        while (Acknowledged < target)
        {
            if (_clock.Elapsed > limit || _running.IsCompleted)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Stops taking new batches and waits until every batch already begun is acknowledged.</summary>
    public async Task StopAsync(TimeSpan deadline)
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(deadline);
    }

    /// <summary>What the acknowledged batches add up to per customer: events, orders and revenue.</summary>
    public IReadOnlyDictionary<string, Expected> Expectation() =>
        _acknowledged.Values.SelectMany(b => b.Events)
            .GroupBy(e => e.Customer)
            .ToDictionary(g => g.Key, g => new Expected(g.Count(), g.Count(e => e.Revenue is not null), g.Sum(e => e.Revenue ?? 0)));

    /// <summary>Abandons the batches in flight too (the test is over, or failed): its processes are going away.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _abandon.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The processes behind it are being torn down; the workers end with them.
        }

        _http.Dispose();
        _stop.Dispose();
        _abandon.Dispose();
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var batch = Batch.Create(Interlocked.Increment(ref _next));
            if (!await SendUntilAcknowledgedAsync(batch))
            {
                return;
            }

            _acknowledged[batch.Index] = batch;
        }
    }

    private async Task<bool> SendUntilAcknowledgedAsync(Batch batch)
    {
        while (!_abandon.IsCancellationRequested)
        {
            var started = _clock.Elapsed;
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await _http.PostAsync($"/v1/stores/{Store}/events", new StringContent(batch.Json, Encoding.UTF8, "application/json"), _abandon.Token);
                var body = await response.Content.ReadAsStringAsync();
                retryAfter = response.Headers.RetryAfter?.Delta;
                _attempts.Enqueue(new Attempt(batch.Index, started, _clock.Elapsed - started, (int)response.StatusCode, retryAfter is not null, response.IsSuccessStatusCode ? null : body));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException error)
            {
                _attempts.Enqueue(new Attempt(batch.Index, started, _clock.Elapsed - started, null, false, $"connection: {error.Message}"));
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                _attempts.Enqueue(new Attempt(batch.Index, started, _clock.Elapsed - started, null, false, "client timeout"));
            }

            // As a polite client: wait what the server asked for (1 s here), or a moment.
            await Task.Delay(retryAfter ?? TimeSpan.FromMilliseconds(200));
        }

        return false;
    }

    public sealed record Attempt(int Batch, TimeSpan At, TimeSpan Took, int? Status, bool RetryAfter, string? Error)
    {
        public bool Ok => Status == 200;

        public TimeSpan End => At + Took;
    }

    public sealed record Expected(int Events, int Orders, double Revenue);

    private sealed record Event(string Customer, double? Revenue);

    private sealed record Batch(int Index, IReadOnlyList<Event> Events, string Json)
    {
        public static Batch Create(int index)
        {
            var random = new Random(index);
            var events = new List<Event>(BatchSize);
            var json = new StringBuilder("[");
            for (var i = 0; i < BatchSize; i++)
            {
                var customer = $"c{random.Next(Customers)}";
                var id = $"b{index}-{i}";
                json.Append(i == 0 ? "" : ",");
                if (random.Next(3) == 0)
                {
                    var revenue = random.Next(1, 100);
                    events.Add(new Event(customer, revenue));
                    json.Append($$$"""{"id": "{{{id}}}", "customerId": "{{{customer}}}", "type": "order_completed", "timestamp": "2026-11-20T10:00:00Z", "properties": {"orderId": "{{{id}}}", "revenue": {{{revenue}}}}}""");
                }
                else
                {
                    events.Add(new Event(customer, null));
                    json.Append($$"""{"id": "{{id}}", "customerId": "{{customer}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}""");
                }
            }

            return new Batch(index, events, json.Append(']').ToString());
        }
    }
}
