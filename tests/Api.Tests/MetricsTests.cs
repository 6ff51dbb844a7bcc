using System.Globalization;
using System.Net;
using System.Text;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// <c>/metrics</c> of a real Api process, scraped as Prometheus scrapes it and read back: what it counts equals what was
/// sent, per store, and the store labels stay bounded.
/// </summary>
[Collection(OwnApiCollection.Name)]
public sealed class MetricsTests
{
    private const string Events = "customergrains_events_total";
    private const string Store = "customergrains_store";
    private const string Outcome = "customergrains_outcome";
    private const string AdminC = "test-admin-key-c";

    [Fact]
    public async Task Scraped_counts_equal_what_was_sent_per_store_and_a_store_past_the_cap_is_counted_as_other()
    {
        await using var host = await OwnHost.StartAsync(new Dictionary<string, string>
        {
            // Two stores get labels of their own; the third store seen is counted as "other".
            ["CustomerGrains__Metrics__MaxStoreLabels"] = "2",
            ["CustomerGrains__ApiKeys__3__Key"] = AdminC,
            ["CustomerGrains__ApiKeys__3__Store"] = "shop-c",
            ["CustomerGrains__ApiKeys__3__Scopes__0"] = "ingest",
        });
        using var a = host.Api.Client(AdminA);
        using var b = host.Api.Client(AdminB);
        using var c = host.Api.Client(AdminC);

        // shop-a: 10 events of 3 customers; the same 10 again (duplicates); a request of 4 with one invalid (rejected whole).
        var first = Batch(Enumerable.Range(0, 10).Select(i => Event($"a-{i}", $"ana-{i % 3}")));
        await PostAsync(a, "shop-a", first, HttpStatusCode.OK, accepted: 10, duplicates: 0);
        await PostAsync(a, "shop-a", first, HttpStatusCode.OK, accepted: 0, duplicates: 10);
        await PostAsync(a, "shop-a", Batch([Event("a-20", "ana-0"), Event("a-21", "ana-1"), Event("a-22", "ana-2"), """{"id": "a-23", "type": "visit"}"""]), HttpStatusCode.BadRequest);

        // shop-b: 5 events of 2 customers, then 2 of them again beside 1 new one; shop-c: 3 events of 1 customer.
        await PostAsync(b, "shop-b", Batch(Enumerable.Range(0, 5).Select(i => Event($"b-{i}", $"bob-{i % 2}"))), HttpStatusCode.OK, accepted: 5, duplicates: 0);
        await PostAsync(b, "shop-b", Batch([Event("b-0", "bob-0"), Event("b-1", "bob-1"), Event("b-5", "bob-0")]), HttpStatusCode.OK, accepted: 1, duplicates: 2);
        await PostAsync(c, "shop-c", Batch(Enumerable.Range(0, 3).Select(i => Event($"c-{i}", "cid-0"))), HttpStatusCode.OK, accepted: 3, duplicates: 0);

        // shop-b through the Segment tracking routes: a batch of 2 (accepted), a track with no user (rejected).
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync("/v1/batch", JsonBody("""
            {"batch": [{"type": "track", "messageId": "s-1", "userId": "bob-0", "event": "Product Viewed"}, {"type": "page", "messageId": "s-2", "userId": "bob-1"}]}
            """))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await b.PostAsync("/v1/track", JsonBody("""{"messageId": "s-3", "event": "Product Viewed"}"""))).StatusCode);

        var metrics = await PrometheusText.ScrapeAsync(host.Api.Client());

        Assert.Equal(10, metrics.Sum(Events, (Store, "shop-a"), (Outcome, "accepted")));
        Assert.Equal(10, metrics.Sum(Events, (Store, "shop-a"), (Outcome, "duplicate")));
        Assert.Equal(4, metrics.Sum(Events, (Store, "shop-a"), (Outcome, "rejected")));
        Assert.Equal(8, metrics.Sum(Events, (Store, "shop-b"), (Outcome, "accepted")));
        Assert.Equal(2, metrics.Sum(Events, (Store, "shop-b"), (Outcome, "duplicate")));
        Assert.Equal(1, metrics.Sum(Events, (Store, "shop-b"), (Outcome, "rejected")));
        Assert.Equal(3, metrics.Sum(Events, (Store, "other"), (Outcome, "accepted")));
        Assert.Equal(["other", "shop-a", "shop-b"], metrics.Find(Events).Select(s => s.Labels[Store]).Distinct().Order(StringComparer.Ordinal));

        // One acknowledgement per request answered 200, in seconds; the rejected request is not one.
        Assert.Equal(2, metrics.Sum("customergrains_ingest_duration_seconds_count", (Store, "shop-a")));
        Assert.Equal(3, metrics.Sum("customergrains_ingest_duration_seconds_count", (Store, "shop-b")));
        Assert.Equal(1, metrics.Sum("customergrains_ingest_duration_seconds_count", (Store, "other")));
        Assert.Equal(6, metrics.Sum("customergrains_ingest_duration_seconds_bucket", ("le", "+Inf")));
        Assert.InRange(metrics.Sum("customergrains_ingest_duration_seconds_sum"), 0.000_001, 60);

        // Every acknowledged customer write went through a group commit (snapshots and registrations may add more).
        var commits = metrics.Sum("customergrains_journal_commit_duration_seconds_count");
        Assert.True(commits >= 1, "no group commit was timed");
        Assert.Equal(commits, metrics.Sum("customergrains_journal_batch_size_count"));
        Assert.True(metrics.Sum("customergrains_journal_batch_size_sum") >= 3 + 2 + 1 + 2 + 1, "fewer writes committed than customers acknowledged");

        // The six customers who recorded events are in memory.
        Assert.Equal(6, metrics.Sum("customergrains_customers_active"));

        // ASP.NET Core's and the runtime's series, by route template (never a path: paths name customers).
        Assert.Equal(6, metrics.Sum("http_server_request_duration_seconds_count", ("http_route", "/v1/stores/{store}/events")));
        Assert.Equal(1, metrics.Sum("http_server_request_duration_seconds_count", ("http_route", "/v1/stores/{store}/events"), ("http_response_status_code", "400")));
        Assert.True(metrics.Has("dotnet_gc_collections_total") || metrics.Has("dotnet_gc_heap_total_allocated_bytes_total"), "no runtime series");
        Assert.True(metrics.Sum("dotnet_process_cpu_time_seconds_total") > 0, "no process CPU time");
        var text = await host.Api.Client().GetStringAsync("/metrics");
        Assert.DoesNotContain("ana-0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bob-0", text, StringComparison.Ordinal);

        // Served without a key by default; the dashboard is off.
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task A_deadline_segment_changes_webhook_deliveries_and_a_model_fit_are_measured_when_they_happen()
    {
        // Every failed attempt is the batch's last: it goes to the dead letters at once.
        await using var host = await OwnHost.StartAsync(new Dictionary<string, string> { ["CustomerGrains__Webhooks__MaxAttempts"] = "1" });
        await using var receiver = new WebhookReceiverProcess();
        await receiver.StartAsync();
        using var admin = host.Api.Client(AdminA);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments",
            JsonBody("""{"id": "recent", "name": "Visited in the last minute", "rule": "count(visit, 1m) >= 1"}"""))).StatusCode);

        // Two webhooks of the segment: one to a receiver that answers 200, one to a port where nothing listens.
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        await receiver.SetupAsync("ok", secret);
        Assert.Equal(HttpStatusCode.Created, (await WebhookScenario.CreateWebhookAsync(admin, new { id = "ok", url = receiver.Url("ok"), segments = new[] { "recent" }, secret })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await WebhookScenario.CreateWebhookAsync(admin, new { id = "down", url = $"http://127.0.0.1:{HostProcess.FreePortText()}/hook", segments = new[] { "recent" } })).StatusCode);

        // A visit 50 s ago: the customer enters now and leaves when the minute is up, woken by its deadline.
        var at = DateTimeOffset.UtcNow.AddSeconds(-50).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        await PostAsync(admin, "shop-a", $$"""[{"id": "v-1", "customerId": "dee", "type": "visit", "timestamp": "{{at}}"}]""", HttpStatusCode.OK, accepted: 1, duplicates: 0);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/models/fit", JsonBody("{}"))).StatusCode);

        // Until the exit was delivered: the receiver has both changes.
        await WebhookScenario.EventuallyAsync(() => receiver.AcceptedChangesAsync("ok"), changes => changes.Count == 2, "both changes delivered", seconds: 60);
        var metrics = await PollAsync(host.Api.Client(), m => m.Sum("customergrains_webhook_dead_letters_total") is >= 1 and var dead
            && m.Sum("customergrains_webhook_deliveries_total", (Outcome, "failed")) == dead);

        // Entered: "recent" and the built-in lifecycle segment of prospects; exited: "recent", at the deadline.
        Assert.Equal(2, metrics.Sum("customergrains_segment_changes_total", (Store, "shop-a"), ("customergrains_change", "entered")));
        Assert.Equal(1, metrics.Sum("customergrains_segment_changes_total", (Store, "shop-a"), ("customergrains_change", "exited")));
        Assert.Equal(1, metrics.Sum("customergrains_deadline_lateness_seconds_count"));
        Assert.InRange(metrics.Sum("customergrains_deadline_lateness_seconds_sum"), 0, 30);

        // The receiver's attempts were delivered (one batch per change, or one for both); every failed one was dead-lettered.
        var delivered = metrics.Sum("customergrains_webhook_deliveries_total", (Store, "shop-a"), (Outcome, "delivered"));
        Assert.Equal((await receiver.AttemptsAsync("ok")).Count, delivered);
        var failed = metrics.Sum("customergrains_webhook_deliveries_total", (Store, "shop-a"), (Outcome, "failed"));
        Assert.InRange(failed, 1, 2);
        Assert.Equal(failed, metrics.Sum("customergrains_webhook_dead_letters_total", (Store, "shop-a")));
        Assert.Equal(delivered + failed, metrics.Sum("customergrains_webhook_delivery_duration_seconds_count"));

        // One fit of the purchase models; with no repeat buyers the models cannot be fitted.
        Assert.Equal(1, metrics.Sum("customergrains_model_fit_duration_seconds_count", ("customergrains_model", "purchase")));
        Assert.Equal(1, metrics.Sum("customergrains_model_fit_duration_seconds_count", ("customergrains_model", "purchase"), (Outcome, "failed")));
    }

    [Fact]
    public async Task With_RequireKey_metrics_answer_only_a_key_with_the_admin_scope()
    {
        await using var host = await OwnHost.StartAsync(new Dictionary<string, string> { ["CustomerGrains__Metrics__RequireKey"] = "true" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Api.Client().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Api.Client(ReaderA).GetAsync("/metrics")).StatusCode);
        var metrics = await PrometheusText.ScrapeAsync(host.Api.Client(AdminA));
        Assert.True(metrics.Has("http_server_request_duration_seconds_count"));
    }

    [Fact]
    public async Task A_bad_metrics_setting_stops_the_start_with_a_message_naming_it()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-metrics-{Guid.NewGuid():N}");
        try
        {
            await using var api = new HostProcess(dataPath, new Dictionary<string, string> { ["CustomerGrains__Metrics__MaxStoreLabels"] = "-1" });
            var error = await Assert.ThrowsAnyAsync<Exception>(api.StartAsync);
            Assert.Contains("CustomerGrains:Metrics:MaxStoreLabels", error.Message + api.Output, StringComparison.Ordinal);
        }
        finally
        {
            HostProcess.DeleteData(dataPath);
        }
    }

    private static string Event(string id, string customer) =>
        $$"""{"id": "{{id}}", "customerId": "{{customer}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}""";

    private static string Batch(IEnumerable<string> events) => new StringBuilder("[").AppendJoin(", ", events).Append(']').ToString();

    private static async Task PostAsync(HttpClient client, string store, string body, HttpStatusCode expected, int accepted = 0, int duplicates = 0)
    {
        using var response = await client.PostAsync($"/v1/stores/{store}/events", JsonBody(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{store}: {(int)response.StatusCode} {text}");
        if (expected == HttpStatusCode.OK)
        {
            Assert.Contains($"\"accepted\":{accepted},\"duplicates\":{duplicates}", text, StringComparison.Ordinal);
        }
    }

    /// <summary>Scrapes until <paramref name="done"/> holds, for at most 60 s (a deadline fires on its own time).</summary>
    private static async Task<PrometheusText> PollAsync(HttpClient http, Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var metrics = await PrometheusText.ScrapeAsync(http);
            if (done(metrics))
            {
                return metrics;
            }

            Assert.True(DateTime.UtcNow < deadline, "what was awaited did not show in /metrics within 60 s");
            await Task.Delay(250);
        }
    }
}
