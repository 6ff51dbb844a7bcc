using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

// Drives the real HTTP API with realistic traffic and reports throughput and latencies.
// Usage: dotnet CustomerGrains.LoadGen.dll --api URL [--key K] [--store S] [--events N] [--customers M]
//          [--batch B] [--concurrency C] [--rate R] [--segments] [--rankings] [--consumers [webhook]] [--copy-baseline PGCONN]
// Without --rate, C requests are kept in flight (closed loop: how fast can it go). With --rate R, requests
// are sent on a fixed schedule of R events/s whatever the answers (open loop: the latencies at that load),
// and each request's latency counts from when the schedule said to send it, so a host falling behind
// shows as latency instead of as a slower sender.
var api = Option("--api") ?? "http://127.0.0.1:5080";
var key = Option("--key") ?? "cg_dev_demo_key";
var store = Option("--store") ?? "demo";
var total = Int("--events", 100_000);
var customers = Int("--customers", 10_000);
var batchSize = Int("--batch", 500);
var concurrency = Int("--concurrency", 8);
var rate = Int("--rate", 0);
var run = Guid.NewGuid().ToString("N")[..8];
var invariant = CultureInfo.InvariantCulture;

using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

if (Option("--deadline-precision") is { } precisionCustomers)
{
    return await DeadlinePrecisionAsync(http, store, int.Parse(precisionCustomers, CultureInfo.InvariantCulture), batchSize, concurrency);
}

if (args.Contains("--segments"))
{
    // 20 segments a store would define, 8 of them on time windows.
    var rules = CustomerGrains.Bench.BenchSegments.Rules;
    for (var i = 0; i < rules.Length; i++)
    {
        if (CustomerGrains.Bench.BenchSegments.NeedsModels(rules[i]))
        {
            continue; // after the load, once there is data to fit on (ModelSegmentsAsync)
        }

        using var created = await http.PostAsync($"/v1/stores/{store}/segments",
            new StringContent(JsonSerializer.Serialize(new { id = $"s{i:D2}", rule = rules[i] }), Encoding.UTF8, "application/json"));
        if (!created.IsSuccessStatusCode && (int)created.StatusCode != 409)
        {
            Console.Error.WriteLine($"segment s{i:D2}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            return 1;
        }
    }
}

var types = new[] { "visit", "visit", "visit", "product_viewed", "product_viewed", "product_viewed", "cart_added", "order_completed", "identify" };
var categories = new[] { "shoes", "shirts", "bags", "hats" };
var countries = new[] { "ES", "MX", "DE", "FR", "US", "AR" };
var random = new Random(42);
var now = DateTimeOffset.UtcNow;
var events = new List<(string Id, string Customer, string Type, DateTimeOffset At, string Props)>(total);
for (var i = 0; i < total; i++)
{
    // Power-law activity: a few customers are very busy, most are seen rarely.
    var customer = $"c{(int)(customers * Math.Pow(random.NextDouble(), 2.5))}";
    var type = types[random.Next(types.Length)];
    var at = now.AddMinutes(-random.Next(0, 60 * 24 * 120));
    var props = type switch
    {
        "order_completed" => $$"""{"revenue":{{random.Next(5, 300)}},"currency":"EUR"}""",
        "product_viewed" => $$"""{"category":"{{categories[random.Next(categories.Length)]}}"}""",
        "identify" => $$"""{"country":"{{countries[random.Next(countries.Length)]}}","email":"{{customer}}@example.com"}""",
        _ => "{}",
    };
    events.Add(($"{run}-{i}", customer, type, at, props));
}

var batches = events.Chunk(batchSize).Select(chunk => "[" + string.Join(",", chunk.Select(e =>
    $$"""{"id":"{{e.Id}}","customerId":"{{e.Customer}}","type":"{{e.Type}}","timestamp":"{{e.At.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", invariant)}}","properties":{{e.Props}}}""")) + "]").ToList();

var acks = new List<double>();
var queries = new Dictionary<string, List<double>> { ["count"] = [], ["member page of 1000"] = [], ["customer view"] = [], ["visible after ack"] = [] };
// --rankings: also probe the exact top 100 by each measure while the load runs (the store's models must be fitted).
string[] Rankings = ["revenue", "p_alive", "clv"];
if (args.Contains("--rankings"))
{
    foreach (var by in Rankings)
    {
        queries[$"top 100 by {by}"] = [];
    }
}

var next = -1;
var failures = 0;
using var stop = new CancellationTokenSource();

// --consumers: while the load runs, a webhook on every segment POSTs to a receiver in this process and a reader follows
// the change feed as Server-Sent Events (both from the feed's end); each visibility probe is also timed from posting its
// event to the webhook bringing its change ("event to webhook"). The Api must allow 127.0.0.1 (Webhooks:AllowedHosts).
// "--consumers webhook": the webhook alone.
var consumers = args.Contains("--consumers") ? await Consumers.StartAsync(http, store, run, sse: Option("--consumers") != "webhook", stop.Token) : null;
if (consumers is not null)
{
    queries["event to webhook"] = [];
}

// Readers while the load runs: what API clients see under that load.
var prober = Task.Run(async () =>
{
    var targets = new[] { ("count", $"/v1/stores/{store}/segments/s06/count"), ("member page of 1000", $"/v1/stores/{store}/segments/s06/members?limit=1000"), ("customer view", $"/v1/stores/{store}/customers/c1") }
        .Concat(args.Contains("--rankings") ? Rankings.Select(by => ($"top 100 by {by}", $"/v1/stores/{store}/rankings?by={by}&limit=100")) : [])
        .ToArray();
    while (!stop.IsCancellationRequested)
    {
        foreach (var (name, url) in targets)
        {
            var sent = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            lock (queries)
            {
                queries[name].Add(sent.Elapsed.TotalMilliseconds);
            }
        }

        await Task.Delay(20);
    }
});

var clock = Stopwatch.StartNew();
var load = rate > 0 ? OpenLoopAsync() : ClosedLoopAsync();
await load;
clock.Stop();
var (webhookChanges, webhookPosts, streamed) = consumers?.Counts ?? default;
stop.Cancel();
await prober;
if (consumers is not null)
{
    var toWebhook = await consumers.StopAsync();
    lock (queries)
    {
        queries["event to webhook"].AddRange(toWebhook);
    }

    Console.WriteLine(string.Create(invariant, $"consumers during the load: the webhook got {webhookChanges} changes in {webhookPosts} POSTs, the SSE reader {streamed} changes"));
}

if (args.Contains("--segments") && await ModelSegmentsAsync() is { } problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

var shape = rate > 0 ? $"rate={rate}/s" : $"concurrency={concurrency}";
Console.WriteLine(string.Create(invariant, $"events={total} customers<={customers} batch={batchSize} {shape} failures={failures}"));
Console.WriteLine(string.Create(invariant, $"ingest: {total / clock.Elapsed.TotalSeconds:F0} events/s over {clock.Elapsed.TotalSeconds:F1}s; ack p50={P(acks, 0.5):F0}ms p99={P(acks, 0.99):F0}ms"));
foreach (var (name, samples) in queries)
{
    Console.WriteLine(string.Create(invariant, $"{name,-22} p50={P(samples, 0.5):F1}ms p99={P(samples, 0.99):F1}ms (n={samples.Count}, during the load)"));
}

async Task<bool> PostBatchAsync(int n, TimeSpan since)
{
    using var response = await http.PostAsync($"/v1/stores/{store}/events", new StringContent(batches[n], Encoding.UTF8, "application/json"));
    var ms = (clock.Elapsed - since).TotalMilliseconds;
    lock (acks)
    {
        acks.Add(ms);
    }

    if (!response.IsSuccessStatusCode && Interlocked.Increment(ref failures) <= 5)
    {
        Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    return response.IsSuccessStatusCode;
}

// The segments on the store's models: fit the purchase models and train the lookalike once (a warm-up run does it, a
// measured run after it finds them), then create the segments that read them.
async Task<string?> ModelSegmentsAsync()
{
    var models = JsonDocument.Parse(await http.GetStringAsync($"/v1/stores/{store}/models")).RootElement;
    if (models.GetProperty("latest").ValueKind == JsonValueKind.Null || !models.GetProperty("latest").GetProperty("inUse").GetBoolean())
    {
        using var fit = await http.PostAsync($"/v1/stores/{store}/models/fit", new StringContent("{}", Encoding.UTF8, "application/json"));
        var report = JsonDocument.Parse(await fit.Content.ReadAsStringAsync()).RootElement;
        Console.WriteLine($"models: {report.GetProperty("status")} on {report.GetProperty("customers")} customers in {report.GetProperty("tookMs")} ms");
    }

    using (var existing = await http.GetAsync($"/v1/stores/{store}/lookalikes/bench-twins"))
    {
        if (!existing.IsSuccessStatusCode)
        {
            using var trained = await http.PostAsync($"/v1/stores/{store}/lookalikes", new StringContent(CustomerGrains.Bench.BenchSegments.Lookalike, Encoding.UTF8, "application/json"));
            var info = JsonDocument.Parse(await trained.Content.ReadAsStringAsync()).RootElement;
            if (!trained.IsSuccessStatusCode)
            {
                return $"lookalike: {(int)trained.StatusCode} {info}";
            }

            Console.WriteLine($"lookalike: {info.GetProperty("status")}, {info.GetProperty("positives")} positives, AUC {info.GetProperty("heldOutAuc")}, in {info.GetProperty("tookMs")} ms");
        }
    }

    var rules = CustomerGrains.Bench.BenchSegments.Rules;
    for (var i = 0; i < rules.Length; i++)
    {
        if (CustomerGrains.Bench.BenchSegments.NeedsModels(rules[i]))
        {
            using var created = await http.PostAsync($"/v1/stores/{store}/segments",
                new StringContent(JsonSerializer.Serialize(new { id = $"s{i:D2}", rule = rules[i] }), Encoding.UTF8, "application/json"));
            if (!created.IsSuccessStatusCode && (int)created.StatusCode != 409)
            {
                return $"segment s{i:D2}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}";
            }
        }
    }

    return null;
}

// Event to visible: a new customer's event, then how long until the segment serves it as a member.
async Task VisibilityProbeAsync(string probe)
{
    if (!args.Contains("--segments"))
    {
        return; // it watches segment s07, which only --segments creates
    }

    var visible = Stopwatch.StartNew();
    consumers?.Expect(probe);
    using var posted = await http.PostAsync($"/v1/stores/{store}/events", new StringContent(
        $$"""[{"id":"{{probe}}","customerId":"{{probe}}","type":"visit","timestamp":"{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", invariant)}}"}]""",
        Encoding.UTF8, "application/json"));
    while ((await http.GetAsync($"/v1/stores/{store}/segments/s07/members/{probe}")).StatusCode != System.Net.HttpStatusCode.OK)
    {
    }

    lock (queries)
    {
        queries["visible after ack"].Add(visible.Elapsed.TotalMilliseconds);
    }
}

Task ClosedLoopAsync() => Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
{
    int n;
    while ((n = Interlocked.Increment(ref next)) < batches.Count)
    {
        await PostBatchAsync(n, clock.Elapsed);
        if (worker == 0 && n % 10 == 0)
        {
            await VisibilityProbeAsync($"probe-{run}-{n}");
        }
    }
}));

// Request n is due at n × batch / rate seconds; it goes out then, however many are still unanswered (up to a
// cap that only a host far behind the schedule reaches), so a slow answer delays no later request.
async Task OpenLoopAsync()
{
    var inFlight = new List<Task>();
    using var cap = new SemaphoreSlim(1024);
    var probes = Task.Run(async () =>
    {
        for (var i = 0; !stop.IsCancellationRequested && Volatile.Read(ref next) < batches.Count; i++)
        {
            await VisibilityProbeAsync($"probe-{run}-{i}");
            await Task.Delay(250);
        }
    });
    for (var n = 0; n < batches.Count; n++)
    {
        var due = TimeSpan.FromSeconds((double)n * batchSize / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        Volatile.Write(ref next, n);
        await cap.WaitAsync();
        var request = n;
        inFlight.Add(Task.Run(async () =>
        {
            try
            {
                await PostBatchAsync(request, due);
            }
            finally
            {
                cap.Release();
            }
        }));
    }

    await Task.WhenAll(inFlight);
    Volatile.Write(ref next, batches.Count);
    await probes;
}

{
    // After the load: a preview of a draft rule, and a new segment's backfill over every stored customer.
    var previewClock = Stopwatch.StartNew();
    using var preview = await http.PostAsync($"/v1/stores/{store}/segments/preview",
        new StringContent("""{"rule": "count(visit, 30d) >= 2 and orders >= 1", "sample": 10}""", Encoding.UTF8, "application/json"));
    var previewBody = await preview.Content.ReadAsStringAsync();
    Console.WriteLine(string.Create(invariant, $"preview over all customers: {previewClock.Elapsed.TotalMilliseconds:F0} ms ({(int)preview.StatusCode}: {previewBody[..Math.Min(80, previewBody.Length)]}…)"));

    var backfillClock = Stopwatch.StartNew();
    var late = $"late-{run}";
    using var created = await http.PostAsync($"/v1/stores/{store}/segments",
        new StringContent($$"""{"id": "{{late}}", "rule": "count(product_viewed, 30d) >= 2"}""", Encoding.UTF8, "application/json"));
    JsonElement status;
    do
    {
        await Task.Delay(50);
        status = JsonDocument.Parse(await http.GetStringAsync($"/v1/stores/{store}/segments/{late}")).RootElement;
    }
    while (status.GetProperty("status").GetString() != "ready");
    var evaluatedCustomers = status.GetProperty("backfill").GetProperty("evaluated").GetInt64();
    Console.WriteLine(string.Create(invariant, $"backfill of a new segment: {evaluatedCustomers} customers in {backfillClock.Elapsed.TotalSeconds:F1}s = {evaluatedCustomers / backfillClock.Elapsed.TotalSeconds:F0} customers/s"));
}

if (Option("--copy-baseline") is { } copy)
{
    // What a store would do instead: log now, segment later. The same events, straight into PostgreSQL.
    await using var connection = new NpgsqlConnection(copy);
    await connection.OpenAsync();
    await using (var create = new NpgsqlCommand(
        "DROP TABLE IF EXISTS baseline_events; CREATE TABLE baseline_events (id text PRIMARY KEY, customer_id text NOT NULL, type text NOT NULL, at timestamptz NOT NULL, properties jsonb NOT NULL)", connection))
    {
        await create.ExecuteNonQueryAsync();
    }

    var copyClock = Stopwatch.StartNew();
    await using (var writer = await connection.BeginBinaryImportAsync("COPY baseline_events (id, customer_id, type, at, properties) FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var e in events)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(e.Id);
            await writer.WriteAsync(e.Customer);
            await writer.WriteAsync(e.Type);
            await writer.WriteAsync(e.At, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(e.Props, NpgsqlDbType.Jsonb);
        }

        await writer.CompleteAsync();
    }

    copyClock.Stop();
    var copyRate = total / copyClock.Elapsed.TotalSeconds;
    Console.WriteLine(rate > 0
        ? string.Create(invariant, $"COPY baseline: {copyRate:F0} events/s (no ratio: this run was held to {rate} events/s)")
        : string.Create(invariant, $"COPY baseline: {copyRate:F0} events/s; CustomerGrains/COPY = {total / clock.Elapsed.TotalSeconds / copyRate:P0}"));
}

return failures == 0 ? 0 : 1;

// N customers whose deadlines all fall within the same minute; each enters a segment at its deadline.
// Lateness = when the engine moved it (enteredAt) minus the due instant (in its cause).
static async Task<int> DeadlinePrecisionAsync(HttpClient http, string store, int customers, int batchSize, int concurrency)
{
    var invariant = CultureInfo.InvariantCulture;
    var run = Guid.NewGuid().ToString("N")[..6];
    var segment = $"quiet-{run}";
    using (var created = await http.PostAsync($"/v1/stores/{store}/segments", new StringContent(
        $$"""{"id": "{{segment}}", "rule": "count(visit, 3m) == 0 and count(visit, 30d) >= 1"}""", Encoding.UTF8, "application/json")))
    {
        created.EnsureSuccessStatusCode();
    }

    // Visits stamped so that each leaves the 3-minute window between 2 and 3 minutes from now.
    var start = DateTimeOffset.UtcNow;
    var random = new Random(7);
    var bodies = Enumerable.Range(0, customers).Chunk(batchSize).Select(chunk => "[" + string.Join(",", chunk.Select(i =>
        $$"""{"id":"{{run}}-{{i}}","customerId":"{{run}}-{{i}}","type":"visit","timestamp":"{{start.AddSeconds(-60 + random.NextDouble() * 60).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", invariant)}}"}""")) + "]").ToList();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < bodies.Count)
        {
            using var response = await http.PostAsync($"/v1/stores/{store}/events", new StringContent(bodies[n], Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
    }));
    Console.WriteLine(string.Create(invariant, $"{customers} customers ingested in {(DateTimeOffset.UtcNow - start).TotalSeconds:F1}s; deadlines fall {(start.AddMinutes(2) - DateTimeOffset.UtcNow).TotalSeconds:F0}–{(start.AddMinutes(3) - DateTimeOffset.UtcNow).TotalSeconds:F0}s from now"));

    while (true)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        var count = JsonDocument.Parse(await http.GetStringAsync($"/v1/stores/{store}/segments/{segment}/count")).RootElement.GetProperty("count").GetInt64();
        if (count >= customers || DateTimeOffset.UtcNow > start.AddMinutes(6))
        {
            Console.WriteLine(string.Create(invariant, $"{count} of {customers} moved at their deadlines"));
            break;
        }
    }

    var lateness = new List<double>(customers);
    string? cursor = null;
    do
    {
        var page = JsonDocument.Parse(await http.GetStringAsync($"/v1/stores/{store}/segments/{segment}/members?limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"))).RootElement;
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var due = DateTimeOffset.Parse(item.GetProperty("cause").GetString()!["deadline:".Length..], invariant);
            var entered = DateTimeOffset.Parse(item.GetProperty("enteredAt").GetString()!, invariant);
            lateness.Add((entered - due).TotalMilliseconds);
        }

        cursor = page.GetProperty("nextCursor").GetString();
    }
    while (cursor is not null);

    Console.WriteLine(string.Create(invariant, $"deadline lateness over {lateness.Count} customers: p50={P(lateness, 0.5):F0}ms p99={P(lateness, 0.99):F0}ms max={lateness.DefaultIfEmpty().Max():F0}ms"));
    return 0;
}

static double P(List<double> samples, double p)
{
    if (samples.Count == 0)
    {
        return double.NaN;
    }

    samples.Sort();
    return samples[(int)Math.Min(samples.Count - 1, Math.Ceiling(p * samples.Count) - 1)];
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

int Int(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
