using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

/// <summary>
/// The change feed's consumers a store attaches (<c>--consumers</c>): a webhook on every segment, delivering to a receiver in
/// this process on loopback, and a reader of the feed as Server-Sent Events, both starting at the feed's end. The receiver
/// answers 204 at once and does not check signatures (the tests do): it measures the engine, not itself.
/// </summary>
internal sealed class Consumers
{
    private readonly HttpClient _http;
    private readonly string _store;
    private readonly string _webhook;
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Stopwatch> _expected = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> _latencies = [];
    private Task _receiving = Task.CompletedTask;
    private Task _streaming = Task.CompletedTask;
    private long _changes;
    private long _posts;
    private long _streamed;

    private Consumers(HttpClient http, string store, string webhook)
    {
        (_http, _store, _webhook) = (http, store, webhook);
    }

    public (long WebhookChanges, long WebhookPosts, long Streamed) Counts =>
        (Interlocked.Read(ref _changes), Interlocked.Read(ref _posts), Interlocked.Read(ref _streamed));

    public static async Task<Consumers> StartAsync(HttpClient http, string store, string run, bool sse, CancellationToken stop)
    {
        var consumers = new Consumers(http, store, $"bench-{run}");
        var port = FreePort();
        consumers._listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        consumers._listener.Start();
        consumers._receiving = consumers.ReceiveAsync();
        using var created = await http.PostAsync($"/v1/stores/{store}/webhooks", new StringContent(
            JsonSerializer.Serialize(new { id = consumers._webhook, url = $"http://127.0.0.1:{port}/hook" }), Encoding.UTF8, "application/json"));
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"webhook: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(stop)}");
        }

        if (sse)
        {
            consumers._streaming = consumers.StreamAsync(await FeedEndAsync(http, store), stop);
        }

        return consumers;
    }

    /// <summary>Times the probe customer's first change from now to the webhook's delivery of it.</summary>
    public void Expect(string customer) => _expected[customer] = Stopwatch.StartNew();

    /// <summary>Stops both consumers (the webhook is deleted); the probes' event-to-webhook times in ms.</summary>
    public async Task<List<double>> StopAsync()
    {
        // Probes posted last get a moment to arrive.
        for (var i = 0; i < 50 && !_expected.IsEmpty; i++)
        {
            await Task.Delay(100);
        }

        using var deleted = await _http.DeleteAsync($"/v1/stores/{_store}/webhooks/{_webhook}");
        _listener.Stop();
        await _receiving.ContinueWith(_ => { });
        await _streaming.ContinueWith(_ => { });
        if (!_expected.IsEmpty)
        {
            Console.WriteLine($"event to webhook: {_expected.Count} probes not delivered within 5 s of the load's end");
        }

        return [.. _latencies];
    }

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            context.Response.StatusCode = 204;
            context.Response.Close();
            Interlocked.Increment(ref _posts);
            foreach (var change in body.RootElement.GetProperty("changes").EnumerateArray())
            {
                Interlocked.Increment(ref _changes);
                if (_expected.TryRemove(change.GetProperty("customerId").GetString()!, out var since))
                {
                    _latencies.Add(since.Elapsed.TotalMilliseconds);
                }
            }
        }
    }

    private async Task StreamAsync(string? after, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/stores/{_store}/changes");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (after is not null)
        {
            request.Headers.Add("Last-Event-ID", after);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("id:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _streamed);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The load is over.
        }
    }

    /// <summary>The feed's last cursor: read through to the end.</summary>
    private static async Task<string?> FeedEndAsync(HttpClient http, string store)
    {
        string? after = null;
        while (true)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/v1/stores/{store}/changes?limit=1000{(after is null ? "" : $"&after={after}")}"));
            after = page.RootElement.GetProperty("next").GetString() ?? after;
            if (page.RootElement.GetProperty("items").GetArrayLength() == 0)
            {
                return after;
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
