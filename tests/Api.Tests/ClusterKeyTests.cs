using System.Net;
using System.Net.Http.Headers;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>Keys live in the cluster, not in one Api: every client-mode Api accepts a created key and drops a revoked one.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterKeyTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_key_created_through_one_Api_works_on_another_and_stops_there_after_revocation()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var silo = HostProcess.Silo(new Dictionary<string, string>
        {
            ["CustomerGrains__PostgreSql"] = database,
            ["CustomerGrains__ClusterId"] = "keys",
            ["CustomerGrains__SiloPort"] = HostProcess.FreePortText(),
            ["CustomerGrains__GatewayPort"] = HostProcess.FreePortText(),
        });
        await silo.StartAsync();
        var client = new Dictionary<string, string>(Keys) { ["CustomerGrains__PostgreSql"] = database, ["CustomerGrains__ClusterId"] = "keys" };
        await using var first = HostProcess.ClusterClient(client);
        await using var second = HostProcess.ClusterClient(client);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());

        using var admin = Client(first, AdminA);
        var (id, key, _) = await ApiKeyTests.CreateAsync(admin, """{"scopes": ["read"]}""");
        using var onFirst = Client(first, key);
        using var onSecond = Client(second, key);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/v1/stores/shop-a/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onFirst.GetAsync("/v1/stores/shop-a/segments")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/stores/shop-a/keys/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onFirst.GetAsync("/v1/stores/shop-a/segments")).StatusCode);
        // The other Api trusted its lookup for at most CustomerGrains:ApiKeyCache (5 s); the deadline only bounds a slow machine.
        await ApiKeyTests.UntilUnauthorizedAsync(onSecond, TimeSpan.FromSeconds(60));
    }

    private static HttpClient Client(HostProcess api, string key)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
