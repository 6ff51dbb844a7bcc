using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// Silo processes and a client-mode Api on one database of the fault tests' own PostgreSQL, with failure
/// detection shortened so that a frozen silo is declared dead within seconds, not the production ~minute.
/// Disposing kills every process it started, whatever state the test left them in.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _shared;
    private readonly List<HostProcess> _all = [];

    private FaultCluster(string database)
    {
        _shared = new Dictionary<string, string>
        {
            ["CustomerGrains__PostgreSql"] = database,
            ["CustomerGrains__ClusterId"] = "faults",
            ["CustomerGrains__Membership__ProbeTimeout"] = "00:00:02",
            ["CustomerGrains__Membership__NumMissedProbesLimit"] = "2",
            ["CustomerGrains__Membership__TableRefreshTimeout"] = "00:00:05",
            ["CustomerGrains__Membership__IAmAliveTablePublishTimeout"] = "00:00:10",
            ["CustomerGrains__Membership__DeathVoteExpirationTimeout"] = "00:00:30",
            ["CustomerGrains__Gateway__GatewayListRefreshPeriod"] = "00:00:05",
        };
    }

    public List<HostProcess> Silos { get; } = [];

    public HostProcess Api { get; private set; } = null!;

    /// <summary><paramref name="silos"/> silos (started side by side) and the Api in front of them; <paramref name="settings"/> for every process.</summary>
    public static async Task<FaultCluster> StartAsync(PostgresFixture postgres, int silos, params (string Key, string Value)[] settings)
    {
        var cluster = new FaultCluster(await postgres.CreateDatabaseAsync());
        foreach (var (key, value) in settings)
        {
            cluster._shared[key] = value;
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => cluster.AddSiloAsync()));
            cluster.Api = cluster.Track(HostProcess.ClusterClient(new Dictionary<string, string>(ApiFixture.Keys.Concat(cluster._shared))));
            await cluster.Api.StartAsync();
            await cluster.WaitForSilosAsync(silos, TimeSpan.FromSeconds(60));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<HostProcess> AddSiloAsync()
    {
        var environment = new Dictionary<string, string>(_shared)
        {
            ["CustomerGrains__SiloPort"] = HostProcess.FreePortText(),
            ["CustomerGrains__GatewayPort"] = HostProcess.FreePortText(),
        };
        var silo = Track(HostProcess.Silo(environment));
        await silo.StartAsync();
        lock (Silos)
        {
            Silos.Add(silo);
        }

        return silo;
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.AdminA);
        return client;
    }

    /// <summary>Polls <c>/health/ready</c> until the Api sees exactly <paramref name="count"/> active silos.</summary>
    public async Task WaitForSilosAsync(int count, TimeSpan deadline)
    {
        using var client = Client();
        var limit = DateTime.UtcNow + deadline;
        var last = "";
        while (DateTime.UtcNow < limit)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                last = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(last).RootElement.GetProperty("silos").GetInt32() == count)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The Api restarts its connection; ask again.
            }
            catch (TaskCanceledException)
            {
                // A slow answer while the cluster changes; ask again.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the Api did not see {count} silos within {deadline}: {last}");
    }

    /// <summary>
    /// Every acknowledged event counted exactly once (each customer's events, orders and revenue equal what was
    /// acknowledged), the segment on top of them holds exactly the customers it should, and the reconciler
    /// finds every segment equal to its recount from customer state.
    /// </summary>
    public async Task AssertExactlyOnceAsync(IngestLoad load)
    {
        using var client = Client();
        var expected = load.Expectation();
        Assert.NotEmpty(expected);
        foreach (var (customer, want) in expected)
        {
            var view = await GetJsonAsync(client, $"/v1/stores/{IngestLoad.Store}/customers/{customer}");
            var traits = view.GetProperty("traits");
            Assert.True(
                want.Events == traits.GetProperty("events").GetInt64() && want.Orders == traits.GetProperty("orders").GetInt32() && want.Revenue == traits.GetProperty("revenue").GetDouble(),
                $"{customer}: acknowledged {want}, stored {traits}");
        }

        var count = await GetJsonAsync(client, $"/v1/stores/{IngestLoad.Store}/segments/{RepeatBuyers}/count");
        Assert.Equal(expected.Values.Count(e => e.Orders >= 2), count.GetProperty("count").GetInt64());
        var report = await SendJsonAsync(() => client.PostAsync($"/v1/stores/{IngestLoad.Store}/reconcile", null));
        Assert.True(report.GetProperty("consistent").GetBoolean(), report.ToString());
        Assert.Equal(expected.Count, report.GetProperty("customers").GetInt64());
    }

    public const string RepeatBuyers = "repeat-buyers";

    /// <summary>The segment the load fills: customers with two orders or more.</summary>
    public async Task CreateSegmentAsync()
    {
        using var client = Client();
        using var created = await client.PostAsync($"/v1/stores/{IngestLoad.Store}/segments",
            ApiFixture.JsonBody($$"""{"id": "{{RepeatBuyers}}", "name": "Repeat buyers", "rule": "orders >= 2"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _all)
        {
            await process.DisposeAsync();
        }
    }

    private HostProcess Track(HostProcess process)
    {
        lock (_all)
        {
            _all.Add(process);
        }

        return process;
    }

    private static Task<JsonElement> GetJsonAsync(HttpClient client, string path) => SendJsonAsync(() => client.GetAsync(path));

    /// <summary>Reads after a fault may still meet a 503 while the cluster settles: retried, within a deadline.</summary>
    private static async Task<JsonElement> SendJsonAsync(Func<Task<HttpResponseMessage>> send)
    {
        var limit = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > limit)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            await Task.Delay(500);
        }
    }
}
