using System.Net;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// An operator who raises ASP.NET Core's logging to Information (and the request lines to Debug) sees every request by its
/// route's template, and still no customer id: paths name customers.
/// </summary>
[Collection(OwnApiCollection.Name)]
public sealed class RequestLogPrivacyTests : IAsyncLifetime
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), $"cg-requestlog-{Guid.NewGuid():N}");
    private HostProcess _api = null!;

    public async Task InitializeAsync()
    {
        _api = new HostProcess(_dataPath, new Dictionary<string, string>(Keys)
        {
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
            ["Logging__LogLevel__CustomerGrains.Api.Requests"] = "Debug",
        });
        await _api.StartAsync();
    }

    [Fact]
    public async Task Requests_are_logged_by_route_template_and_never_by_path()
    {
        var customer = $"pathleak-{Guid.NewGuid():N}"[..20];
        using var admin = _api.Client(AdminA);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody(
            $$"""[{"id": "e-{{customer}}", "customerId": "{{customer}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}]"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/stores/shop-a/customers/{customer}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/stores/shop-a/customers/{customer}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/customers/{customer}x")).StatusCode);

        await _api.StopAsync();
        var output = _api.Output;

        Assert.Contains("GET /v1/stores/{store}/customers/{id} → 200", output, StringComparison.Ordinal);
        Assert.Contains("GET /v1/stores/{store}/customers/{id} → 404", output, StringComparison.Ordinal);
        Assert.Contains("POST /v1/stores/{store}/events → 200", output, StringComparison.Ordinal);
        Assert.DoesNotContain(customer, output, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        HostProcess.DeleteData(_dataPath);
    }
}
