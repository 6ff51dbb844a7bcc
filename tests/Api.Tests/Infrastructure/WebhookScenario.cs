using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>What the webhook tests do over HTTP: a segment and events of their own, the feed read back, waits and checks.</summary>
public static class WebhookScenario
{
    /// <summary>
    /// A segment of the run's customers with revenue: an order of the run enters it, a refund of that order leaves it. Only the
    /// run's customers: a segment's backfill would add the store's earlier buyers, before or after a webhook's start.
    /// </summary>
    public static async Task CreateSegmentAsync(HttpClient admin, string segment, string run) =>
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody(JsonSerializer.Serialize(new
        {
            id = segment,
            rule = $"revenue > 0 and count(order_completed where run == \"{run}\", 3650d) >= 1",
        })))).StatusCode);

    public static async Task<HttpResponseMessage> CreateWebhookAsync(HttpClient admin, object webhook) =>
        await admin.PostAsync("/v1/stores/shop-a/webhooks", JsonBody(JsonSerializer.Serialize(webhook)));

    /// <summary>An order of each customer; then, in a request of its own, a refund of it for every third (who enter, then leave).</summary>
    public static async Task OrdersAsync(HttpClient admin, string run, IEnumerable<int> customers)
    {
        var now = DateTimeOffset.UtcNow;
        var list = customers.ToList();
        await PostAsync(admin, list.Select(c => Order(run, c, now)));
        if (list.Where(c => c % 3 == 0).ToList() is { Count: > 0 } refunded)
        {
            await PostAsync(admin, refunded.Select(c => Refund(run, c, now.AddSeconds(1))));
        }
    }

    private static async Task PostAsync(HttpClient admin, IEnumerable<string> events) =>
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{string.Join(",", events)}]"))).StatusCode);

    /// <summary>The segment's changes in the feed, from its start.</summary>
    public static async Task<List<JsonElement>> FeedAsync(HttpClient reader, string segment)
    {
        var all = new List<JsonElement>();
        for (string? after = null; ;)
        {
            var page = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?segment={segment}&limit=1000{(after is null ? "" : $"&after={after}")}");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            all.AddRange(items);
            after = page.GetProperty("next").GetString();
            if (items.Count == 0)
            {
                return all;
            }
        }
    }

    /// <summary>Polls until <paramref name="done"/> holds, failing with <paramref name="what"/> past the deadline.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not within {seconds} s: {what}; last seen: {JsonSerializer.Serialize(value)}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// What a receiver got holds every change of the feed at least once and nothing else, each as the feed tells it, and each
    /// customer's changes first arrived in the feed's order.
    /// </summary>
    public static void EveryChangeAtLeastOnceInOrder(IReadOnlyList<JsonElement> feed, IReadOnlyList<JsonElement> received)
    {
        Assert.NotEmpty(feed);
        var expected = feed.ToDictionary(Cursor, Fields);
        var got = new Dictionary<string, string>();
        foreach (var change in received)
        {
            got.TryAdd(Cursor(change), Fields(change));
        }

        Assert.Empty(expected.Keys.Except(got.Keys)); // none lost
        Assert.Empty(got.Keys.Except(expected.Keys)); // none made up
        Assert.All(expected, e => Assert.Equal(e.Value, got[e.Key]));

        static List<string> PerCustomer(IEnumerable<JsonElement> changes, string customer) =>
            [.. changes.Where(c => c.GetProperty("customerId").GetString() == customer).Select(Cursor).Distinct()];
        foreach (var customer in feed.Select(c => c.GetProperty("customerId").GetString()!).Distinct())
        {
            Assert.Equal(PerCustomer(feed, customer), PerCustomer(received, customer));
        }
    }

    public static string Cursor(JsonElement change) => change.GetProperty("cursor").GetString()!;

    /// <summary>A change's fields in order with their values, whatever escapes its JSON text used.</summary>
    private static string Fields(JsonElement change) => string.Join("; ", change.EnumerateObject().Select(p =>
        $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"));

    private static string Order(string run, int customer, DateTimeOffset at) =>
        $$$"""{"id": "o{{{customer}}}-{{{run}}}", "customerId": "c{{{customer}}}-{{{run}}}", "type": "order_completed", "timestamp": "{{{at:O}}}", "properties": {"revenue": 20, "orderId": "o{{{customer}}}", "run": "{{{run}}}"}}""";

    private static string Refund(string run, int customer, DateTimeOffset at) =>
        $$$"""{"id": "r{{{customer}}}-{{{run}}}", "customerId": "c{{{customer}}}-{{{run}}}", "type": "order_refunded", "timestamp": "{{{at:O}}}", "properties": {"orderId": "o{{{customer}}}"}}""";
}
