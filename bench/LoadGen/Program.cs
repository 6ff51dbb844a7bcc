using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

// Drives the real HTTP API: N events over M customers in batches, K requests in flight.
// Usage: dotnet run -c Release --project bench/LoadGen -- [baseUrl] [key] [store] [events] [customers] [batch] [concurrency]
var baseUrl = Arg(0, "http://127.0.0.1:5080");
var key = Arg(1, "cg_dev_demo_key");
var store = Arg(2, "demo");
var total = int.Parse(Arg(3, "100000"), CultureInfo.InvariantCulture);
var customers = int.Parse(Arg(4, "10000"), CultureInfo.InvariantCulture);
var batchSize = int.Parse(Arg(5, "500"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Arg(6, "8"), CultureInfo.InvariantCulture);
var run = Guid.NewGuid().ToString("N")[..8];

using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

var types = new[] { "visit", "visit", "visit", "product_viewed", "product_viewed", "cart_added", "order_completed" };
var categories = new[] { "shoes", "shirts", "bags", "hats" };
var random = new Random(42);
var now = DateTimeOffset.UtcNow;
var batches = new List<string>();
for (var start = 0; start < total; start += batchSize)
{
    var body = new StringBuilder("[");
    for (var i = start; i < Math.Min(total, start + batchSize); i++)
    {
        // Power-law activity: a few customers are very busy, most are seen rarely.
        var customer = (int)(customers * Math.Pow(random.NextDouble(), 2.5));
        var type = types[random.Next(types.Length)];
        var at = now.AddMinutes(-random.Next(0, 60 * 24 * 60)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var props = type switch
        {
            "order_completed" => $$""","properties":{"revenue":{{random.Next(5, 300)}},"currency":"EUR"}""",
            "product_viewed" => $$""","properties":{"category":"{{categories[random.Next(categories.Length)]}}"}""",
            _ => "",
        };
        body.Append(i > start ? "," : "")
            .Append(CultureInfo.InvariantCulture, $$"""{"id":"{{run}}-{{i}}","customerId":"c{{customer}}","type":"{{type}}","timestamp":"{{at}}"{{props}}}""");
    }

    batches.Add(body.Append(']').ToString());
}

var latencies = new List<double>();
var next = -1;
var failures = 0;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int n;
    while ((n = Interlocked.Increment(ref next)) < batches.Count)
    {
        var sent = Stopwatch.StartNew();
        using var response = await http.PostAsync($"/v1/stores/{store}/events", new StringContent(batches[n], Encoding.UTF8, "application/json"));
        var ms = sent.Elapsed.TotalMilliseconds;
        lock (latencies)
        {
            latencies.Add(ms);
        }

        if (!response.IsSuccessStatusCode && Interlocked.Increment(ref failures) <= 5)
        {
            Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}));
clock.Stop();

latencies.Sort();
double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"events={total} customers<={customers} batch={batchSize} concurrency={concurrency} failures={failures}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"elapsed={clock.Elapsed.TotalSeconds:F1}s  events/s={total / clock.Elapsed.TotalSeconds:F0}  ack p50={Percentile(0.50):F0}ms p99={Percentile(0.99):F0}ms"));
return failures == 0 ? 0 : 1;

string Arg(int index, string fallback) => args.Length > index ? args[index] : fallback;
