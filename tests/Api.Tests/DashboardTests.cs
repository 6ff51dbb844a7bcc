using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// The Orleans dashboard as the Api serves it: off unless configured, and then only to a key with the admin scope, which
/// a browser sends as the basic-auth user name when the page asks for it.
/// </summary>
[Collection(OwnApiCollection.Name)]
public sealed class DashboardTests(Infrastructure.Browser browser) : IClassFixture<Infrastructure.Browser>
{
    [Fact]
    public async Task Enabled_it_answers_the_admin_key_only_and_a_browser_signs_in_with_the_key_as_basic_auth_user()
    {
        await using var host = await OwnHost.StartAsync(new Dictionary<string, string> { ["CustomerGrains__Dashboard__Enabled"] = "true" });

        // No key: 401 with a Basic challenge, so that a browser asks for the key.
        using var anonymous = await host.Api.Client().GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic realm=", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Api.Client("cg_not_a_key").GetAsync("/dashboard/ClusterStats")).StatusCode);

        // A key without the admin scope, or of another store's admin for a page of the cluster: the scope decides.
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Api.Client(ReaderA).GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Api.Client(ReaderA).GetAsync("/dashboard/ClusterStats")).StatusCode);

        // The admin key, as a bearer token or as the basic-auth user name (empty password).
        using var admin = host.Api.Client(AdminA);
        using var page = await admin.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var basic = host.Api.Client();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminA}:")));
        using var hosts = await basic.GetAsync("/dashboard/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, hosts.StatusCode);
        Assert.Equal(JsonValueKind.Object, (await JsonDocument.ParseAsync(await hosts.Content.ReadAsStreamAsync())).RootElement.ValueKind);

        // Its live log stream stays off (logs below Information may name customers).
        using var trace = await admin.GetAsync("/dashboard/Trace", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Forbidden, trace.StatusCode);

        // A browser: asked by the challenge, it sends the key and the page's own requests carry it too.
        await using var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            HttpCredentials = new HttpCredentials { Username = AdminA, Password = "" },
        });
        var tab = await context.NewPageAsync();
        var refused = new List<string>();
        tab.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Status != 401)
            {
                refused.Add($"{response.Status} {response.Url}");
            }
        };
        var counters = tab.WaitForResponseAsync(r => r.Url.Contains("/dashboard/DashboardCounters", StringComparison.Ordinal) && r.Status == 200);
        await tab.GotoAsync(new Uri(host.Api.BaseAddress, "/dashboard/").ToString());
        await counters;
        await Assertions.Expect(tab.GetByText("Active Silos").First).ToBeVisibleAsync();
        await Infrastructure.Browser.ScreenshotAsync(tab, "dashboard");
        Assert.Empty(refused);
    }

    [Fact]
    public async Task Off_by_default_the_dashboard_is_not_there_even_for_the_admin_key()
    {
        await using var host = await OwnHost.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.Client(AdminA).GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Api.Client(AdminA).GetAsync("/dashboard/ClusterStats")).StatusCode);
    }

    [Fact]
    public async Task A_setting_that_is_no_boolean_stops_the_start_with_a_message_naming_it()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-dashboard-{Guid.NewGuid():N}");
        try
        {
            await using var api = new HostProcess(dataPath, new Dictionary<string, string> { ["CustomerGrains__Dashboard__Enabled"] = "sometimes" });
            var error = await Assert.ThrowsAnyAsync<Exception>(api.StartAsync);
            Assert.Contains("CustomerGrains:Dashboard:Enabled", error.Message + api.Output, StringComparison.Ordinal);
        }
        finally
        {
            HostProcess.DeleteData(dataPath);
        }
    }
}
