using System.Net;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>
/// An Api process of its own whose store <c>web</c> allows pages of <see cref="BrowserTrackingPages.Origin"/>
/// (<c>CustomerGrains:Tracking:Origins:web</c>), with an ingest-only write key as a store puts in its pages and an
/// admin key to look; the page server; and the two browser libraries from npm. Two segments to land in.
/// </summary>
public sealed class BrowserTrackingHost : IAsyncLifetime
{
    public const string Store = "web";
    public const string WriteKey = "web-write-key";
    public const string AdminKey = "web-admin-key";
    public const string ShoeBuyers = "shoe-buyers";
    public const string SpanishVisitors = "visitors-es";

    private readonly string _data = Directory.CreateTempSubdirectory("cg-browser-tracking-").FullName;

    public HostProcess Api { get; private set; } = null!;

    public BrowserTrackingPages Pages { get; private set; } = null!;

    /// <summary>The Api as the libraries' <c>apiHost</c> wants it: <c>host:port</c>.</summary>
    public string ApiHost => $"127.0.0.1:{Api.Port}";

    public async Task InitializeAsync()
    {
        var segment = await BrowserTrackingClients.InstallAsync(BrowserTrackingClients.SegmentBrowser);
        var rudderStack = await BrowserTrackingClients.InstallAsync(BrowserTrackingClients.RudderStackBrowser);
        Pages = await BrowserTrackingPages.StartAsync(segment, rudderStack);
        Api = new HostProcess(_data, new Dictionary<string, string>
        {
            ["CustomerGrains__ApiKeys__0__Key"] = WriteKey,
            ["CustomerGrains__ApiKeys__0__Store"] = Store,
            ["CustomerGrains__ApiKeys__0__Scopes__0"] = "ingest",
            ["CustomerGrains__ApiKeys__1__Key"] = AdminKey,
            ["CustomerGrains__ApiKeys__1__Store"] = Store,
            ["CustomerGrains__ApiKeys__1__Scopes__0"] = "ingest",
            ["CustomerGrains__ApiKeys__1__Scopes__1"] = "read",
            ["CustomerGrains__ApiKeys__1__Scopes__2"] = "admin",
            ["CustomerGrains__Tracking__Origins__web__0"] = Pages.Origin,
        });
        await Api.StartAsync();

        using var admin = Api.Client(AdminKey);
        foreach (var (id, rule) in new[]
        {
            (ShoeBuyers, "count(order_completed where categories contains \"shoes\", 365d) >= 1 and revenue > 90"),
            (SpanishVisitors, "count(visit, 1d) >= 1 and profile.country == \"ES\""),
        })
        {
            var created = await admin.PostAsync($"/v1/stores/{Store}/segments", ApiFixture.JsonBody(JsonSerializer.Serialize(new { id, rule })));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    /// <summary>The customer as the API shows it, or null while it does not exist.</summary>
    public async Task<JsonElement?> CustomerAsync(string id)
    {
        using var admin = Api.Client(AdminKey);
        var response = await admin.GetAsync($"/v1/stores/{Store}/customers/{Uri.EscapeDataString(id)}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>
    /// Polls the API until the customer satisfies <paramref name="done"/> (each library sends in the background;
    /// what the API answers is the signal), failing with what was last seen after 30 seconds.
    /// </summary>
    public async Task<JsonElement> CustomerWhenAsync(string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            seen = await CustomerAsync(id);
            if (seen is { } customer && done(customer))
            {
                return customer;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"customer {id} never got there; last seen: {seen?.ToString() ?? "none"}");
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Pages.DisposeAsync();
        HostProcess.DeleteData(_data);
    }
}
