using System.Net;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// The cluster shape's metrics and dashboard: a silo process on PostgreSQL serves <c>/metrics</c> beside its health
/// check and counts what its grains did; the client-mode Api counts what it answered and serves the dashboard the
/// silo collects for.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloMetricsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_silo_serves_metrics_of_what_its_grains_did_and_the_client_mode_Api_serves_the_dashboard()
    {
        var database = await postgres.CreateDatabaseAsync();
        var cluster = new Dictionary<string, string>
        {
            ["CustomerGrains__PostgreSql"] = database,
            ["CustomerGrains__ClusterId"] = "test",
            ["CustomerGrains__Dashboard__Enabled"] = "true",
        };
        await using var silo = HostProcess.Silo(new Dictionary<string, string>(cluster)
        {
            ["CustomerGrains__SiloPort"] = HostProcess.FreePortText(),
            ["CustomerGrains__GatewayPort"] = HostProcess.FreePortText(),
        });
        await silo.StartAsync();
        var client = new Dictionary<string, string>(Keys);
        foreach (var (key, value) in cluster)
        {
            client[key] = value;
        }

        await using var api = HostProcess.ClusterClient(client);
        await api.StartAsync();
        using var admin = api.Client(AdminA);

        var events = string.Join(", ", Enumerable.Range(0, 12).Select(i =>
            $$"""{"id": "s-{{i}}", "customerId": "sil-{{i % 4}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{events}]"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{events}]"))).StatusCode);

        // The silo: its grains decided, so it counts (no key: a silo has none to check).
        var onSilo = await PrometheusText.ScrapeAsync(silo.Client());
        Assert.Equal(12, onSilo.Sum("customergrains_events_total", ("customergrains_store", "shop-a"), ("customergrains_outcome", "accepted")));
        Assert.Equal(12, onSilo.Sum("customergrains_events_total", ("customergrains_store", "shop-a"), ("customergrains_outcome", "duplicate")));
        Assert.Equal(4, onSilo.Sum("customergrains_customers_active"));
        Assert.True(onSilo.Sum("customergrains_journal_batch_size_sum") >= 4, "the four customers' writes were not committed here");
        Assert.True(onSilo.Sum("dotnet_process_cpu_time_seconds_total") > 0, "no runtime series on the silo");
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Client().GetAsync("/dashboard/")).StatusCode);

        // The Api: it acknowledged the two requests.
        var onApi = await PrometheusText.ScrapeAsync(api.Client());
        Assert.Equal(2, onApi.Sum("customergrains_ingest_duration_seconds_count", ("customergrains_store", "shop-a")));
        Assert.Equal(0, onApi.Sum("customergrains_events_total", ("customergrains_outcome", "accepted")));

        // The dashboard, served by the client-mode Api from what the silo collects, to the admin key only.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client().GetAsync("/dashboard/DashboardCounters")).StatusCode);
        using var counters = await admin.GetAsync("/dashboard/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        var body = (await JsonDocument.ParseAsync(await counters.Content.ReadAsStreamAsync())).RootElement;
        Assert.Equal(1, body.GetProperty("totalActiveHostCount").GetInt32());
    }
}
