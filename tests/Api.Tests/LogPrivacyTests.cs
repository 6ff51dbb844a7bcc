using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>At the product's default log levels, no key and no personal data reaches the process output.</summary>
[Collection(OwnApiCollection.Name)]
public sealed class LogPrivacyTests : IAsyncLifetime
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), $"cg-logs-{Guid.NewGuid():N}");
    private HostProcess _api = null!;

    public async Task InitializeAsync()
    {
        // An empty value unsets the tests' usual Warning level: this process logs as the product ships.
        _api = new HostProcess(_dataPath, new Dictionary<string, string>(Keys) { ["Logging__LogLevel__Default"] = "" });
        await _api.StartAsync();
    }

    [Fact]
    public async Task Keys_emails_names_and_customer_ids_never_appear_in_the_output()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var email = $"leak-{tag}@example.com";
        var name = $"Zed{tag}";
        var customer = $"cust-{tag}";
        using var admin = Client(AdminA);
        var (_, key, _) = await ApiKeyTests.CreateAsync(admin, """{"name": "logged?", "scopes": ["ingest", "read", "admin"]}""");
        using var created = Client(key);

        var events = await created.PostAsync("/v1/stores/shop-a/events", JsonBody($$$"""
            [{"id": "e-{{{tag}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "2026-11-20T10:00:00Z",
              "properties": {"email": "{{{email}}}", "firstName": "{{{name}}}"}}]
            """));
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await created.GetAsync($"/v1/stores/shop-a/customers/{customer}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await created.GetAsync($"/v1/stores/shop-a/customers/{Uri.EscapeDataString(email)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await created.PutAsync($"/v1/stores/shop-a/customers/{customer}/profile", JsonBody($$$"""{"lastName": "{{{name}}}"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await created.PostAsync("/v1/stores/shop-a/events", JsonBody($$$"""
            [{"id": "bad-{{{tag}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "2026-11-20T10:00:00Z", "properties": {"email": ["{{{name}}} at example.com"]}}]
            """))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await created.PostAsync("/v1/stores/shop-a/events", JsonBody($$$"""
            [{"id": "raw-{{{tag}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "2026-11-20T10:00:00Z", "properties": {"email": "{{{name}}} at example.com"}}]
            """))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await created.GetAsync($"/v1/stores/shop-b/customers/{customer}")).StatusCode);
        using var forged = Client(key[..^4] + "0000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync($"/v1/stores/shop-a/customers/{customer}")).StatusCode);
        using var tracker = Client(null);
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
        Assert.Equal(HttpStatusCode.OK, (await tracker.PostAsync("/v1/identify", JsonBody($$$"""{"messageId": "t-{{{tag}}}", "userId": "{{{customer}}}", "traits": {"email": "{{{email}}}"}}"""))).StatusCode);

        await _api.StopAsync();
        var output = _api.Output;

        // The output is there and at the default level: the host's own Information lines were written.
        Assert.Contains("Application started", output, StringComparison.Ordinal);
        foreach (var secret in new[] { key, key[^64..], key[..^4] + "0000", AdminA, email, name, customer, tag })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    private HttpClient Client(string? key) => _api.Client(key);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        HostProcess.DeleteData(_dataPath);
    }
}
