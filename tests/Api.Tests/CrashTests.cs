using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>kill -9 in the middle of sustained ingest: nothing acknowledged is lost, nothing counts twice.</summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const int Customers = 300;
    private readonly string _data = Directory.CreateTempSubdirectory("cg-crash-").FullName;
    private HostProcess _api = null!;

    public async Task InitializeAsync()
    {
        _api = new HostProcess(_data, Keys);
        await _api.StartAsync();
    }

    [Fact]
    public async Task Acknowledged_events_survive_a_crash_mid_ingest_and_client_retries_never_double_count()
    {
        using (var admin = Client())
        {
            foreach (var (id, rule) in new[] { ("loyal", "orders >= 3"), ("spenders", "revenue > 400"), ("lookers", "count(visit, 30d) >= 27") })
            {
                Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody(JsonSerializer.Serialize(new { id, rule })))).StatusCode);
            }
        }

        var random = new Random(20261124);
        var batches = Enumerable.Range(0, 60).Select(b => Enumerable.Range(0, 200).Select(i =>
        {
            var n = (b * 200) + i;
            var customer = $"crash-{random.Next(Customers)}";
            return random.Next(3) == 0
                ? (Customer: customer, Json: $$$"""{"id": "e{{{n}}}", "customerId": "{{{customer}}}", "type": "order_completed", "timestamp": "2026-11-20T10:00:00Z", "properties": {"revenue": {{{random.Next(1, 200)}}}}}""")
                : (Customer: customer, Json: $$"""{"id": "e{{n}}", "customerId": "{{customer}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}""");
        }).ToArray()).ToArray();

        var acknowledged = new ConcurrentDictionary<int, bool>();
        var crashed = new TaskCompletionSource();
        var loadDone = new TaskCompletionSource();

        // A consumer of the change feed all along, long-polling from its last cursor, across the crash.
        var followed = new List<JsonElement>();
        var consumer = Task.Run(async () =>
        {
            string? after = null;
            while (true)
            {
                JsonElement page;
                try
                {
                    using var client = Client();
                    page = await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?limit=500&wait=1{(after is null ? "" : $"&after={after}")}");
                }
                catch (HttpRequestException)
                {
                    // The Api is down: read on from the same cursor once it is back.
                    await crashed.Task;
                    await Task.Delay(50);
                    continue;
                }

                followed.AddRange(page.GetProperty("items").EnumerateArray());
                after = page.GetProperty("next").GetString() ?? after;
                if (page.GetProperty("items").GetArrayLength() == 0 && loadDone.Task.IsCompleted)
                {
                    return;
                }
            }
        });
        var sender = Task.Run(async () =>
        {
            using var gate = new SemaphoreSlim(4);
            await Task.WhenAll(batches.Select(async (batch, index) =>
            {
                await gate.WaitAsync();
                try
                {
                    // A client that retries until the Api acknowledges, across the crash and restart.
                    while (!acknowledged.ContainsKey(index))
                    {
                        try
                        {
                            using var client = Client();
                            var response = await client.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{string.Join(",", batch.Select(e => e.Json))}]"));
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                acknowledged[index] = true;
                                continue;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            // The Api is down: retry once it is back.
                        }

                        await crashed.Task;
                        await Task.Delay(50);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        });

        while (acknowledged.Count < 15)
        {
            await Task.Delay(10);
        }

        var ackedBeforeCrash = acknowledged.Keys.ToArray();
        await _api.KillAsync();
        _api = new HostProcess(_data, Keys);
        await _api.StartAsync();
        crashed.SetResult();
        await sender.WaitAsync(TimeSpan.FromMinutes(5));
        loadDone.SetResult();
        await consumer.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(ackedBeforeCrash.Length >= 15);
        Assert.Equal(batches.Length, acknowledged.Count);
        using var reader = Client();
        var expected = batches.SelectMany(b => b).GroupBy(e => e.Customer).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (customer, count) in expected)
        {
            var view = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{customer}");
            Assert.Equal(count, view.GetProperty("traits").GetProperty("events").GetInt64());
        }

        var report = await (await reader.PostAsync("/v1/stores/shop-a/reconcile", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(report.GetProperty("consistent").GetBoolean(), report.ToString());
        Assert.Equal(expected.Count, report.GetProperty("customers").GetInt64());
        var ours = report.GetProperty("segments").EnumerateArray().Where(s => s.GetProperty("id").GetString() is "loyal" or "spenders" or "lookers").ToList();
        Assert.Equal(3, ours.Count);
        Assert.All(ours, s => Assert.True(s.GetProperty("members").GetInt64() > 0, s.ToString()));

        // The feed read from the start holds each decision once, the consumer that followed it across the crash saw the
        // same, and applying it gives each segment's member listing.
        var fromStart = new List<JsonElement>();
        for (string? after = null; ;)
        {
            var page = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?limit=1000{(after is null ? "" : $"&after={after}")}");
            if (page.GetProperty("items").GetArrayLength() == 0)
            {
                break;
            }

            fromStart.AddRange(page.GetProperty("items").EnumerateArray());
            after = page.GetProperty("next").GetString();
        }

        static string Cursor(JsonElement change) => change.GetProperty("cursor").GetString()!;
        Assert.Equal(fromStart.Count, fromStart.Select(Cursor).Distinct().Count());
        Assert.Equal(fromStart.Select(Cursor), followed.Select(Cursor));
        foreach (var segment in new[] { "loyal", "spenders", "lookers" })
        {
            var members = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in fromStart.Where(c => c.GetProperty("segment").GetString() == segment))
            {
                var customer = change.GetProperty("customerId").GetString()!;
                Assert.True(change.GetProperty("kind").GetString() == "entered" ? members.Add(customer) : members.Remove(customer), change.ToString());
            }

            var listed = new List<string>();
            for (string? cursor = null; ;)
            {
                var page = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}/members?limit=1000{(cursor is null ? "" : $"&cursor={cursor}")}");
                listed.AddRange(page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("customerId").GetString()!));
                if ((cursor = page.GetProperty("nextCursor").GetString()) is null)
                {
                    break;
                }
            }

            Assert.Equal(listed.Order(StringComparer.Ordinal), members.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_deadline_registered_before_a_crash_still_moves_the_customer_after_the_restart()
    {
        using (var admin = Client())
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments",
                JsonBody("""{"id": "last-minute", "rule": "count(visit, 1m) >= 1"}"""))).StatusCode);

            // Seen 45 s ago: in the segment now, out of it 15 s from now, with no event arriving.
            var seen = DateTimeOffset.UtcNow.AddSeconds(-45);
            var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody(
                $$"""[{"id": "tick-1", "customerId": "ticker", "type": "visit", "timestamp": "{{seen:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}"}]"""));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/stores/shop-a/segments/last-minute/members/ticker")).StatusCode);
        }

        await _api.KillAsync();
        _api = new HostProcess(_data, Keys);
        await _api.StartAsync();

        using var client = Client();
        var limit = DateTime.UtcNow.AddSeconds(45);
        while ((await client.GetAsync("/v1/stores/shop-a/segments/last-minute/members/ticker")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < limit, "the customer was not moved at its deadline after the restart");
            await Task.Delay(100);
        }

        var view = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/customers/ticker");
        Assert.DoesNotContain(view.GetProperty("segments").EnumerateArray(), s => s.GetProperty("id").GetString() == "last-minute");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = _api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminA);
        return client;
    }
}
