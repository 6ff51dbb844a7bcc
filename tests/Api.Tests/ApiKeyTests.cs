using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>Keys a store creates, uses, lists and revokes through its admin routes.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiKeyTests(ApiFixture fixture)
{
    private const string Visit = """[{"id": "k-1", "customerId": "kim", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}]""";

    [Fact]
    public async Task A_created_key_works_with_its_scopes_is_listed_without_its_secret_and_stops_working_when_revoked()
    {
        using var admin = fixture.Client(AdminA);
        var (id, key, created) = await CreateAsync(admin, """{"name": "warehouse reader", "scopes": ["read"]}""");
        Assert.StartsWith("cgk_shop-a_", key, StringComparison.Ordinal);
        Assert.True(key.Length >= 64, "the secret carries at least 256 bits");
        Assert.Equal(["read"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True(created.TryGetProperty("createdAt", out _));

        using var reader = fixture.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/stores/shop-a/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/v1/stores/shop-a/events", JsonBody(Visit))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/stores/shop-b/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/stores/shop-a/keys")).StatusCode);

        var listed = await admin.GetStringAsync("/v1/stores/shop-a/keys");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key[^64..], listed, StringComparison.Ordinal);
        var item = JsonDocument.Parse(listed).RootElement.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal("warehouse reader", item.GetProperty("name").GetString());
        Assert.StartsWith(item.GetProperty("prefix").GetString()!, key, StringComparison.Ordinal);
        Assert.False(item.TryGetProperty("key", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/stores/shop-a/keys/{id}")).StatusCode);

        // At once on the Api that revoked it (other Apis within CustomerGrains:ApiKeyCache; see ClusterKeyTests).
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/v1/stores/shop-a/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/stores/shop-a/keys/{id}")).StatusCode);
        Assert.DoesNotContain(id, await admin.GetStringAsync("/v1/stores/shop-a/keys"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_created_key_survives_a_restart_and_so_does_its_revocation()
    {
        string kept, keptKey, revokedKey;
        using (var admin = fixture.Client(AdminA))
        {
            (kept, keptKey, _) = await CreateAsync(admin, """{"scopes": ["ingest", "read"]}""");
            string revoked;
            (revoked, revokedKey, _) = await CreateAsync(admin, """{"scopes": ["ingest"]}""");
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/stores/shop-a/keys/{revoked}")).StatusCode);
        }

        await fixture.RestartAsync();

        using var ingest = fixture.Client(keptKey);
        Assert.Equal(HttpStatusCode.OK, (await ingest.PostAsync("/v1/stores/shop-a/events", JsonBody(Visit))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ingest.GetAsync("/v1/stores/shop-a/customers/kim")).StatusCode);
        using var gone = fixture.Client(revokedKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gone.PostAsync("/v1/stores/shop-a/events", JsonBody(Visit))).StatusCode);
        using var restartedAdmin = fixture.Client(AdminA);
        Assert.Contains(kept, await restartedAdmin.GetStringAsync("/v1/stores/shop-a/keys"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_created_key_is_a_write_key_for_the_tracking_routes_too()
    {
        using var admin = fixture.Client(AdminA);
        var (_, key, _) = await CreateAsync(admin, """{"scopes": ["ingest"]}""");
        using var tracker = fixture.Client(null);
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));

        var response = await tracker.PostAsync("/v1/track", JsonBody("""{"messageId": "kt-1", "userId": "kit", "event": "Signed Up"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/stores/shop-a/customers/kit")).StatusCode);
    }

    public static TheoryData<string> InvalidKeys => new()
    {
        """{"name": "no scopes"}""",
        """{"scopes": []}""",
        """{"scopes": ["root"]}""",
        """{"scopes": ["read", "read"]}""",
        """{"scopes": "read"}""",
        """{"scopes": ["read"], "key": "cgk_shop-a_chosen"}""",
        """{"scopes": ["read"], "name": 7}""",
        """["read"]""",
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task An_invalid_key_request_is_400_and_creates_nothing(string body)
    {
        using var admin = fixture.Client(AdminA);
        var before = await admin.GetStringAsync("/v1/stores/shop-a/keys");

        var response = await admin.PostAsync("/v1/stores/shop-a/keys", JsonBody(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await admin.GetStringAsync("/v1/stores/shop-a/keys"));
    }

    [Fact]
    public async Task Keys_that_look_like_created_keys_but_were_never_made_are_401()
    {
        using var made = fixture.Client(AdminA);
        var (id, key, _) = await CreateAsync(made, """{"scopes": ["read"]}""");
        var forged = key[..^1] + (key[^1] == '0' ? '1' : '0');
        var otherStore = key.Replace("cgk_shop-a_", "cgk_shop-b_", StringComparison.Ordinal);

        foreach (var bad in new[] { forged, otherStore, $"cgk_shop-a_{id}", "cgk_", "cg_dev_demo_key" })
        {
            using var client = fixture.Client(bad);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/stores/shop-a/segments")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await made.DeleteAsync("/v1/stores/shop-a/keys/not-an-id")).StatusCode);
    }

    internal static async Task<(string Id, string Key, JsonElement Created)> CreateAsync(HttpClient admin, string body, string store = "shop-a")
    {
        var response = await admin.PostAsync($"/v1/stores/{store}/keys", JsonBody(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!, created);
    }

    /// <summary>Revocation is immediate on the Api that revoked; the deadline only bounds a slow machine.</summary>
    internal static async Task UntilUnauthorizedAsync(HttpClient revoked, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while ((await revoked.GetAsync($"/v1/stores/{StoreOf(revoked)}/segments")).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(DateTime.UtcNow < deadline, "the revoked key still works");
            await Task.Delay(50);
        }
    }

    private static string StoreOf(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!.Split('_')[1];
}
