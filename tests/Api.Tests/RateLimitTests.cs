using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>A key that sends faster than its limit gets 429 with Retry-After; other keys do not notice.</summary>
[Collection(OwnApiCollection.Name)]
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), $"cg-rate-{Guid.NewGuid():N}");
    private HostProcess _api = null!;

    public async Task InitializeAsync()
    {
        _api = new HostProcess(_dataPath, new Dictionary<string, string>(Keys)
        {
            ["CustomerGrains__RateLimit__PermitsPerSecond"] = "1",
            ["CustomerGrains__RateLimit__Burst"] = "3",
        });
        await _api.StartAsync();
    }

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_Retry_After_and_other_keys_are_served()
    {
        using var a = Client(AdminA);
        using var b = Client(AdminB);

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 50 && limited is null; i++)
        {
            var response = await a.GetAsync("/v1/stores/shop-a/segments");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.NotNull(limited);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());

        // One limit per key: store B's key is not throttled by A's traffic, and health needs no key.
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/v1/stores/shop-b/segments")).StatusCode);
        using var anonymous = Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);

        // The bucket refills: A is served again once its Retry-After has passed.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode status;
        while ((status = (await a.GetAsync("/v1/stores/shop-a/segments")).StatusCode) == HttpStatusCode.TooManyRequests)
        {
            Assert.True(DateTime.UtcNow < deadline, "the key stayed limited");
            await Task.Delay(retryAfter.Value / 4);
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    private HttpClient Client(string? key) => _api.Client(key);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        HostProcess.DeleteData(_dataPath);
    }
}
