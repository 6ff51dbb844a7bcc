using System.Net;
using System.Text;
using CustomerGrains.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static CustomerGrains.Api.Tests.Browser.BrowserTrackingHost;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>
/// Only pages of the origins a store configures may send its tracking calls: the browser enforces CORS on what it
/// preflights, and the Api refuses what it does not (a <c>text/plain</c> call), so a page of another origin records
/// nothing. CORS headers are the tracking routes' alone.
/// </summary>
[Collection(OwnApiCollection.Name)]
public sealed class BrowserTrackingCorsTests(Infrastructure.Browser browser, BrowserTrackingHost host)
    : IClassFixture<Infrastructure.Browser>, IClassFixture<BrowserTrackingHost>
{
    [Fact]
    public async Task A_page_of_an_origin_the_store_does_not_allow_is_refused_and_nothing_is_recorded()
    {
        var user = $"eve-{Guid.NewGuid():N}"[..20];
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var identifyFailed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.RequestFailed += (_, request) =>
        {
            if (new Uri(request.Url) is { AbsolutePath: "/v1/i" } url && url.Port == host.Api.Port)
            {
                identifyFailed.TrySetResult(request.Failure ?? "");
            }
        };

        // The same page server under another name: http://localhost:port, an origin the store did not list.
        await page.GotoAsync($"{host.Pages.OtherOrigin}/shop.html");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/analytics-next/bundles/index.js" });
        var plain = await page.EvaluateAsync<string>("""
            async ({ apiHost, writeKey, user }) => {
              const analytics = AnalyticsNext.AnalyticsBrowser.load(
                { writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey } } } },
                { integrations: { 'Segment.io': { apiHost: apiHost + '/v1', protocol: 'http' } } });
              // Its calls carry basic auth, so the browser asks first (a preflight) and is told no: never sent.
              analytics.identify(user, { email: 'eve@example.com' });
              // A call that needs no preflight (text/plain, the key in the body) is sent; the Api refuses it.
              try {
                const response = await fetch(`http://${apiHost}/v1/t`, { method: 'POST', headers: { 'Content-Type': 'text/plain' },
                  body: JSON.stringify({ writeKey, messageId: `${user}-plain`, userId: `${user}-plain`, event: 'Signed Up' }) });
                return `readable: ${response.status}`;
              } catch (error) {
                return `blocked: ${error.name}`;
              }
            }
            """, new { apiHost = host.ApiHost, writeKey = WriteKey, user });

        Assert.Equal("blocked: TypeError", plain);
        Assert.Equal("net::ERR_FAILED", await identifyFailed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Null(await host.CustomerAsync(user));
        Assert.Null(await host.CustomerAsync($"{user}-plain"));
        await Infrastructure.Browser.ScreenshotAsync(page, "browser-tracking-refused-origin");

        // What the browser was told, seen without one: the call 403 and no CORS header; the preflight 403.
        using var api = host.Api.Client();
        var refused = await api.SendAsync(Call(HttpMethod.Post, "/v1/t", host.Pages.OtherOrigin, $$"""{"writeKey": "{{WriteKey}}", "messageId": "m-1", "userId": "{{user}}", "event": "Signed Up"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        var preflight = await api.SendAsync(Preflight("/v1/t", host.Pages.OtherOrigin));
        Assert.Equal(HttpStatusCode.Forbidden, preflight.StatusCode);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Null(await host.CustomerAsync(user));
    }

    [Fact]
    public async Task Only_the_tracking_routes_answer_CORS_and_only_for_the_stores_origins()
    {
        using var api = host.Api.Client();

        var preflight = await api.SendAsync(Preflight("/v1/t", host.Pages.Origin, "authorization,content-type,x-evil"));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(host.Pages.Origin, Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("authorization, content-type", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Headers")));
        Assert.Equal("POST", Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Methods")));

        // A reading or admin route, asked from the allowed origin with a valid key: no CORS headers, so no page reads it.
        var readPreflight = await api.SendAsync(Preflight($"/v1/stores/{Store}/customers/anyone", host.Pages.Origin));
        Assert.False(readPreflight.Headers.Contains("Access-Control-Allow-Origin"));
        using var admin = host.Api.Client(AdminKey);
        var read = await admin.SendAsync(Call(HttpMethod.Get, $"/v1/stores/{Store}/segments", host.Pages.Origin, null));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.False(read.Headers.Contains("Access-Control-Allow-Origin"));

        // A tracking call from the allowed origin is answered with it; a server's call (no Origin) with none.
        var user = $"cors-{Guid.NewGuid():N}"[..20];
        var allowed = await api.SendAsync(Call(HttpMethod.Post, "/v1/t", host.Pages.Origin, $$"""{"writeKey": "{{WriteKey}}", "messageId": "{{user}}", "userId": "{{user}}", "event": "Signed Up"}"""));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(host.Pages.Origin, Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        var server = await api.SendAsync(Call(HttpMethod.Post, "/v1/t", null, $$"""{"writeKey": "{{WriteKey}}", "messageId": "{{user}}-2", "userId": "{{user}}", "event": "Signed Up"}"""));
        Assert.Equal(HttpStatusCode.OK, server.StatusCode);
        Assert.False(server.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task An_origin_setting_that_is_not_an_origin_stops_the_start_naming_the_setting()
    {
        var data = Directory.CreateTempSubdirectory("cg-bad-origins-").FullName;
        await using var api = new HostProcess(data, new Dictionary<string, string>
        {
            ["CustomerGrains__Tracking__Origins__web__0"] = "https://shop.example",
            ["CustomerGrains__Tracking__Origins__web__1"] = "https://shop.example/checkout",
        });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(api.StartAsync);
        Assert.Contains("CustomerGrains:Tracking:Origins:web:1 'https://shop.example/checkout' must be an origin", error.Message, StringComparison.Ordinal);
        HostProcess.DeleteData(data);
    }

    private static HttpRequestMessage Call(HttpMethod method, string path, string? origin, string? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        }

        return request;
    }

    private static HttpRequestMessage Preflight(string path, string origin, string headers = "authorization")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }
}
