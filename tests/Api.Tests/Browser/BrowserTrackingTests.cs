using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static CustomerGrains.Api.Tests.Browser.BrowserTrackingHost;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>
/// A store's page runs the browser tracking library it already runs — Segment's analytics-next or RudderStack's
/// JavaScript SDK, from npm, in headless Chromium — pointed at the Api from another origin, and its customers show up
/// with their traits, orders and segments, as with the server SDKs.
/// </summary>
[Collection(OwnApiCollection.Name)]
public sealed class BrowserTrackingTests(Infrastructure.Browser browser, BrowserTrackingHost host)
    : IClassFixture<Infrastructure.Browser>, IClassFixture<BrowserTrackingHost>
{
    [Theory]
    [InlineData("standard")]
    [InlineData("batching")]
    public async Task Segment_analytics_next_in_a_page_feeds_customers_and_segments(string delivery)
    {
        var user = $"ajs-{delivery}-{Guid.NewGuid():N}"[..24];
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var answers = Listen(page);
        await page.GotoAsync($"{host.Pages.Origin}/shop.html");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/analytics-next/bundles/index.js" });

        // As a store configures it: apiHost and protocol for the Segment.io destination, settings given inline (no CDN).
        await page.EvaluateAsync("""
            async ({ apiHost, writeKey, user, delivery }) => {
              const analytics = AnalyticsNext.AnalyticsBrowser.load(
                { writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey } } } },
                { integrations: { 'Segment.io': { apiHost, protocol: 'http',
                  ...(delivery === 'batching' ? { deliveryStrategy: { strategy: 'batching', config: { size: 3, timeout: 200 } } } : {}) } } });
              await Promise.all([
                analytics.identify(user, { email: `${user}@example.com`, firstName: 'Ana', address: { country: 'ES', city: 'Bilbao' } }),
                analytics.track('Order Completed', { order_id: 'W-1', total: 120, currency: 'eur',
                  products: [{ product_id: 'p-9', category: 'shoes', price: 120, quantity: 1 }] }),
                analytics.page('Home'),
              ]);
            }
            """, new { apiHost = $"{host.ApiHost}/v1", writeKey = WriteKey, user, delivery });

        var customer = await host.CustomerWhenAsync(user, c => Traits(c).GetProperty("events").GetInt32() == 3);
        AssertLanded(customer, user);
        await Infrastructure.Browser.ScreenshotAsync(page, $"browser-tracking-segment-{delivery}");

        // What the library sent, as measured: text/plain with the key in the body (and in basic auth), to the short
        // routes or, batching, to /v1/b; every answer readable by the page through CORS.
        var seen = await answers.SeenAsync(delivery == "batching" ? 1 : 3);
        Assert.Equal(delivery == "batching" ? ["/v1/b"] : ["/v1/i", "/v1/p", "/v1/t"], seen.Select(a => a.Path).ToHashSet().Order());
        Assert.All(seen, a => Assert.Equal((200, host.Pages.Origin, "text/plain"), (a.Status, a.AllowOrigin, a.ContentType)));
        Assert.All(seen, a => Assert.Contains($"\"writeKey\":\"{WriteKey}\"", a.Body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("xhr")]
    [InlineData("beacon")]
    public async Task RudderStack_analytics_js_in_a_page_feeds_customers_and_segments(string transport)
    {
        var user = $"rs-{transport}-{Guid.NewGuid():N}"[..24];
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var answers = Listen(page);
        await page.GotoAsync($"{host.Pages.Origin}/shop.html");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/rudderstack.js" });

        // As a store configures it: the data plane URL, and the source's settings given inline (no control plane).
        await page.EvaluateAsync("""
            async ({ dataPlaneUrl, writeKey, user, transport }) => {
              const analytics = new rudderanalytics.RudderAnalytics();
              analytics.load(writeKey, dataPlaneUrl, {
                getSourceConfig: () => ({ source: { id: 'web', name: 'web', workspaceId: 'shop', enabled: true, config: {}, destinations: [] } }),
                plugins: [transport === 'beacon' ? 'BeaconQueue' : 'XhrQueue'],
                useBeacon: transport === 'beacon',
                beaconQueueOptions: { flushQueueInterval: 200 },
                logLevel: 'ERROR',
              });
              await new Promise((resolve) => analytics.ready(resolve));
              analytics.identify(user, { email: `${user}@example.com`, firstName: 'Ana', address: { country: 'ES', city: 'Bilbao' } });
              analytics.track('Order Completed', { order_id: 'W-1', total: 120, currency: 'eur',
                products: [{ product_id: 'p-9', category: 'shoes', price: 120, quantity: 1 }] });
              analytics.page('Shop', 'Home');
            }
            """, new { dataPlaneUrl = $"http://{host.ApiHost}", writeKey = WriteKey, user, transport });

        var customer = await host.CustomerWhenAsync(user, c => Traits(c).GetProperty("events").GetInt32() == 3);
        AssertLanded(customer, user);
        await Infrastructure.Browser.ScreenshotAsync(page, $"browser-tracking-rudderstack-{transport}");

        // XHR: JSON to /v1/{type} with basic auth, read through CORS; beacon: text/plain to /beacon/v1/batch?writeKey=,
        // which the page never reads (sendBeacon is fire and forget).
        if (transport == "xhr")
        {
            var seen = await answers.SeenAsync(3);
            Assert.Equal(["/v1/identify", "/v1/page", "/v1/track"], seen.Select(a => a.Path).ToHashSet().Order());
            Assert.All(seen, a => Assert.Equal((200, host.Pages.Origin), (a.Status, a.AllowOrigin)));
        }
    }

    private static JsonElement Traits(JsonElement customer) => customer.GetProperty("traits");

    private static void AssertLanded(JsonElement customer, string user)
    {
        // Each test's own e-mail: the store merges customers who give one e-mail (identity resolution's matching traits).
        var profile = customer.GetProperty("profile");
        Assert.Equal($"{user}@example.com", profile.GetProperty("email").GetString());
        Assert.Equal("Ana", profile.GetProperty("firstName").GetString());
        Assert.Equal("ES", profile.GetProperty("country").GetString());
        Assert.Equal(1, Traits(customer).GetProperty("orders").GetInt32());
        Assert.Equal(120, Traits(customer).GetProperty("revenue").GetDouble());
        Assert.Equal(1, Traits(customer).GetProperty("counts30d").GetProperty("visit").GetInt32());
        var segments = customer.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("id").GetString()!);
        Assert.Equal([ShoeBuyers, SpanishVisitors], segments.Where(id => !id.StartsWith("lifecycle-", StringComparison.Ordinal)));
    }

    /// <summary>The Api's answers to the page's tracking calls, as the page saw them (preflights are not listed).</summary>
    private Answers Listen(IPage page)
    {
        var answers = new Answers();
        page.Response += (_, response) =>
        {
            var url = new Uri(response.Url);
            if (url.Port == host.Api.Port)
            {
                answers.Add(ReadAsync(url, response));
            }
        };
        return answers;
    }

    private static async Task<Answer> ReadAsync(Uri url, IResponse response)
    {
        var headers = await response.AllHeadersAsync();
        var sent = await response.Request.AllHeadersAsync();
        return new Answer(url.AbsolutePath, response.Status, headers.GetValueOrDefault("access-control-allow-origin"), sent.GetValueOrDefault("content-type"), response.Request.PostData ?? "");
    }

    /// <summary>Answers as they come in (the page's events arrive on their own schedule).</summary>
    private sealed class Answers
    {
        private readonly List<Task<Answer>> _answers = [];

        public void Add(Task<Answer> answer)
        {
            lock (_answers)
            {
                _answers.Add(answer);
            }
        }

        /// <summary>The answers once at least <paramref name="count"/> came, within 10 seconds.</summary>
        public async Task<Answer[]> SeenAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                Task<Answer>[] seen;
                lock (_answers)
                {
                    seen = [.. _answers];
                }

                if (seen.Length >= count || DateTime.UtcNow > deadline)
                {
                    return await Task.WhenAll(seen);
                }

                await Task.Delay(50);
            }
        }
    }

    private sealed record Answer(string Path, int Status, string? AllowOrigin, string? ContentType, string Body);
}
