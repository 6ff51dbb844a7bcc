using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using Xunit.Abstractions;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// A silo killed (SIGKILL) while customers merge across a three-silo PostgreSQL cluster: every merge is either whole (the
/// secondary forwards and the primary holds both histories) or not made at all, and made once retried.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class MergeFaultTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int Pairs = 60;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Killing_a_silo_while_customers_merge_leaves_every_merge_whole_or_not_made()
    {
        // A secondary frozen for a primary that died gives up within seconds; the next activation replays what was committed.
        await using var cluster = await FaultCluster.StartAsync(postgres, silos: 3, ("CustomerGrains__Identity__FreezeTimeout", "00:00:03"));
        using var client = cluster.Client();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/stores/shop-a/segments", JsonBody("""{"id": "visitors", "rule": "count(visit, 30d) >= 1"}"""))).StatusCode);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        var events = Enumerable.Range(0, Pairs).SelectMany(i => new[]
        {
            $$"""{"id": "pv{{i}}", "customerId": "p{{i}}", "type": "visit", "timestamp": "{{at}}"}""",
            $$"""{"id": "po{{i}}", "customerId": "p{{i}}", "type": "order_completed", "timestamp": "{{at}}", "properties": {"revenue": 10} }""",
            $$"""{"id": "sv{{i}}", "customerId": "s{{i}}", "type": "visit", "timestamp": "{{at}}"}""",
            $$"""{"id": "sw{{i}}", "customerId": "s{{i}}", "type": "visit", "timestamp": "{{at}}"}""",
        });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{string.Join(",", events)}]"))).StatusCode);

        // Merges four at a time; a silo dies once a quarter of them are done.
        var done = 0;
        var statuses = new HttpStatusCode?[Pairs];
        var merging = Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; i < Pairs; i += 4)
            {
                statuses[i] = await MergeAsync(client, i);
                Interlocked.Increment(ref done);
            }
        })));
        while (Volatile.Read(ref done) < Pairs / 4)
        {
            await Task.Delay(5);
        }

        await cluster.Silos[1].KillAsync();
        await merging.WaitAsync(Patience);
        await cluster.WaitForSilosAsync(2, Patience);
        await Task.Delay(TimeSpan.FromSeconds(4));
        output.WriteLine($"answers while a silo died: {string.Join(", ", statuses.GroupBy(s => s?.ToString() ?? "no answer").Select(g => $"{g.Key} ×{g.Count()}"))}");

        // Whole or not made, whatever the answer was.
        var made = 0;
        for (var i = 0; i < Pairs; i++)
        {
            var (primary, secondary) = (await ViewAsync(client, $"p{i}"), await ViewAsync(client, $"s{i}"));
            var merged = primary.GetProperty("mergedIds").EnumerateArray().Select(e => e.GetString()).Contains($"s{i}");
            Assert.True(
                merged
                    ? secondary.GetProperty("customerId").GetString() == $"p{i}" && Events(primary) == 4
                    : secondary.GetProperty("customerId").GetString() == $"s{i}" && Events(primary) == 2 && Events(secondary) == 2,
                $"pair {i}: {primary} / {secondary}");
            Assert.True(merged || statuses[i] != HttpStatusCode.OK, $"pair {i} was acknowledged but is not merged");
            made += merged ? 1 : 0;
        }

        output.WriteLine($"{made} of {Pairs} merges made before the retries");

        // Retried, every merge is made once.
        for (var i = 0; i < Pairs; i++)
        {
            var limit = DateTime.UtcNow + Patience;
            while (await MergeAsync(client, i) != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < limit, $"pair {i} could not be merged after the fault");
                await Task.Delay(200);
            }

            var view = await ViewAsync(client, $"s{i}");
            Assert.Equal(($"p{i}", 4L), (view.GetProperty("customerId").GetString(), Events(view)));
        }

        // A secondary that could not reach a shard of a dead silo tells it once the shard lives elsewhere: counts converge.
        var settled = DateTime.UtcNow + Patience;
        JsonElement report;
        while (!(report = await (await client.PostAsync("/v1/stores/shop-a/reconcile", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consistent").GetBoolean())
        {
            Assert.True(DateTime.UtcNow < settled, report.ToString());
            await Task.Delay(500);
        }

        var count = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments/visitors/count");
        Assert.Equal(Pairs, count.GetProperty("count").GetInt64());
        Assert.Equal(Pairs, report.GetProperty("customers").GetInt64());
    }

    private static async Task<HttpStatusCode?> MergeAsync(HttpClient client, int pair)
    {
        try
        {
            using var response = await client.PostAsync($"/v1/stores/shop-a/customers/p{pair}/merges", JsonBody($$"""{"secondaryId": "s{{pair}}"}"""));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static long Events(JsonElement view) => view.GetProperty("traits").GetProperty("events").GetInt64();

    /// <summary>A customer's view; a 503 while the cluster settles is asked again.</summary>
    private static async Task<JsonElement> ViewAsync(HttpClient client, string id)
    {
        var limit = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await client.GetAsync($"/v1/stores/shop-a/customers/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < limit, $"{id}: {(int)response.StatusCode}");
            await Task.Delay(200);
        }
    }
}
