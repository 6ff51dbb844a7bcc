using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using CustomerGrains.Grains.Webhooks;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;
using static CustomerGrains.Api.Tests.Infrastructure.WebhookScenario;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// Webhooks across faults, with an Api and a receiver process of each test's own: the receiver down for a while, the Api
/// killed (kill -9) in the middle of deliveries, a destination no longer allowed after a restart. Whatever happens, the
/// receiver ends with every change of the feed at least once, each customer's in order.
/// </summary>
public sealed class WebhookCrashTests : IAsyncLifetime
{
    /// <summary>Retries that outlast the outages here (never a dead letter), in batches of 20.</summary>
    private static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>(Keys)
    {
        ["CustomerGrains__Webhooks__BatchSize"] = "20",
        ["CustomerGrains__Webhooks__Timeout"] = "00:00:02",
        ["CustomerGrains__Webhooks__MaxAttempts"] = "100",
        ["CustomerGrains__Webhooks__RetryBase"] = "00:00:00.050",
        ["CustomerGrains__Webhooks__RetryCap"] = "00:00:00.300",
    };

    private readonly string _data = Directory.CreateTempSubdirectory("cg-webhook-crash-").FullName;
    private readonly WebhookReceiverProcess _receiver = new();
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private HostProcess _api = null!;

    private string Segment => $"wh-{_run}";

    private string Hook => $"hook-{_run}";

    public async Task InitializeAsync()
    {
        _api = new HostProcess(_data, Settings);
        await Task.WhenAll(_api.StartAsync(), _receiver.StartAsync());
    }

    [Fact]
    public async Task A_receiver_that_is_down_for_a_while_gets_every_change_once_it_is_back()
    {
        using var admin = _api.Client(AdminA);
        await CreateWebhookAsync(admin);
        await _receiver.KillAsync();

        await OrdersAsync(admin, _run, Enumerable.Range(0, 40));
        var refused = await EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{Hook}/deliveries")).GetProperty("items").EnumerateArray().ToList(),
            l => l.Count >= 3, "attempts while the receiver is down");
        Assert.All(refused, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("status").ValueKind));
        Assert.All(refused, l => Assert.Contains("refused", l.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase));
        await OrdersAsync(admin, _run, Enumerable.Range(40, 20));
        await _receiver.StartAsync();

        var feed = await FeedAsync(admin, Segment);
        Assert.Equal(60 + 20, feed.Count);
        await EventuallyAsync(() => _receiver.AcceptedChangesAsync(Hook), got => got.Select(Cursor).ToHashSet().IsSupersetOf(feed.Select(Cursor)), "every change delivered");
        EveryChangeAtLeastOnceInOrder(feed, await _receiver.AcceptedChangesAsync(Hook));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{Hook}/failures")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Deliveries_go_on_after_the_Api_is_killed_in_the_middle_of_them_and_nothing_is_lost()
    {
        using (var admin = _api.Client(AdminA))
        {
            await CreateWebhookAsync(admin, "slow");
            await OrdersAsync(admin, _run, Enumerable.Range(0, 60));

            // Killed once the receiver got some of the changes, while it takes its time over the next batch.
            await EventuallyAsync(() => _receiver.AcceptedChangesAsync(Hook), got => got.Count >= 1, "deliveries under way");
        }

        await _api.KillAsync();
        var before = (await _receiver.AcceptedChangesAsync(Hook)).Select(Cursor).Distinct().Count();
        _api = new HostProcess(_data, Settings);
        await _api.StartAsync();

        using var client = _api.Client(AdminA);
        await OrdersAsync(client, _run, Enumerable.Range(60, 30));
        var feed = await FeedAsync(client, Segment);
        Assert.Equal(90 + 30, feed.Count);
        Assert.True(before < 80, $"the Api was killed after {before} of the 80 changes before it were delivered");
        await EventuallyAsync(() => _receiver.AcceptedChangesAsync(Hook), got => got.Select(Cursor).ToHashSet().IsSupersetOf(feed.Select(Cursor)), "every change delivered after the restart");
        EveryChangeAtLeastOnceInOrder(feed, await _receiver.AcceptedChangesAsync(Hook));
    }

    [Fact]
    public async Task A_destination_allowed_at_creation_but_not_after_a_restart_is_refused_at_delivery()
    {
        using (var admin = _api.Client(AdminA))
        {
            await CreateWebhookAsync(admin);
        }

        await _api.KillAsync();
        _api = new HostProcess(_data, new Dictionary<string, string>(Settings) { ["CustomerGrains__Webhooks__AllowedHosts__0"] = "" });
        await _api.StartAsync();

        using var client = _api.Client(AdminA);
        await OrdersAsync(client, _run, [1]);
        var log = await EventuallyAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{Hook}/deliveries")).GetProperty("items").EnumerateArray().ToList(),
            l => l.Count >= 2, "refused attempts");
        Assert.All(log, l => Assert.StartsWith("destination refused: '127.0.0.1' is a loopback address", l.GetProperty("error").GetString(), StringComparison.Ordinal));
        Assert.Empty(await _receiver.AttemptsAsync(Hook));
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _api.DisposeAsync();
        HostProcess.DeleteData(_data);
    }

    private async Task CreateWebhookAsync(HttpClient admin, string mode = "ok")
    {
        await CreateSegmentAsync(admin, Segment, _run);
        var secret = WebhookSecret.Generate();
        await _receiver.SetupAsync(Hook, secret, mode);
        var created = await WebhookScenario.CreateWebhookAsync(admin, new { id = Hook, url = _receiver.Url(Hook), segments = new[] { Segment }, secret });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
