using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>A store points its existing Segment SDK at us and its customers show up, segmented.</summary>
[Collection(ApiCollection.Name)]
public sealed class SegmentTrackingTests(ApiFixture fixture)
{
    private const string SdkVersion = "3.1.0";

    [Fact]
    public async Task The_real_analytics_node_client_feeds_customers_and_segments()
    {
        // Its own store (shop-b), so no other test's segments or customers mix in.
        using var admin = fixture.Client(AdminB);
        await CreateSegmentAsync(admin, "sdk-shoe-buyers", "count(order_completed where categories contains \"shoes\", 365d) >= 1 and revenue > 90");
        await CreateSegmentAsync(admin, "sdk-visitors", "count(visit, 1d) >= 1 and profile.country == \"ES\"");

        var folder = await InstallAnalyticsNodeAsync();
        var script = Path.Combine(folder, $"send-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, """
            const { Analytics } = require('@segment/analytics-node');
            const analytics = new Analytics({ writeKey: process.env.WRITE_KEY, host: process.env.HOST, flushAt: 10, flushInterval: 100, maxRetries: 2 });
            analytics.on('error', (error) => { console.error('delivery failed', error); process.exitCode = 1; });
            analytics.identify({ userId: 'sdk-1', traits: { email: 'sam@example.com', firstName: 'Sam', address: { country: 'ES', city: 'Bilbao' } } });
            analytics.track({ userId: 'sdk-1', event: 'Order Completed', properties: {
              order_id: 'A-1', total: 99.5, currency: 'eur',
              products: [{ product_id: 'p-1', category: 'shoes', price: 99.5, quantity: 1 }] } });
            analytics.page({ userId: 'sdk-1', name: 'Home', properties: { url: 'https://shop.example/' } });
            analytics.track({ anonymousId: 'anon-7', event: 'Signed Up', properties: { plan: 'free' } });
            analytics.closeAndFlush().then(() => console.log('flushed'));
            """);
        var (exitCode, output) = await RunAsync("node", [script], folder, new Dictionary<string, string>
        {
            ["WRITE_KEY"] = AdminB,
            ["HOST"] = fixture.Api.BaseAddress.ToString().TrimEnd('/'),
        });
        Assert.True(exitCode == 0 && output.Contains("flushed", StringComparison.Ordinal), output);

        var sam = await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-b/customers/sdk-1");
        Assert.Equal("sam@example.com", sam.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("Sam", sam.GetProperty("profile").GetProperty("firstName").GetString());
        Assert.Equal("ES", sam.GetProperty("profile").GetProperty("country").GetString());
        Assert.Equal(1, sam.GetProperty("traits").GetProperty("orders").GetInt32());
        Assert.Equal(99.5, sam.GetProperty("traits").GetProperty("revenue").GetDouble());
        var segments = sam.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(new[] { "sdk-shoe-buyers", "sdk-visitors" }, segments.Where(id => !id.StartsWith("lifecycle-", StringComparison.Ordinal)));
        Assert.Contains("lifecycle-new", segments);
        var anonymous = await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-b/customers/anon-7");
        Assert.Equal(1, anonymous.GetProperty("traits").GetProperty("counts30d").GetProperty("signed_up").GetInt32());
    }

    [Fact]
    public async Task Invalid_Segment_payloads_are_400_with_reasons_and_apply_nothing()
    {
        using var client = BasicAuthClient(AdminA);
        var response = await client.PostAsync("/v1/batch", JsonBody("""
            {"batch": [
              {"type": "track", "messageId": "ok-1", "userId": "seg-bad", "event": "Product Viewed", "timestamp": "2026-11-20T10:00:00Z"},
              {"type": "track", "userId": "seg-bad", "event": "Product Viewed"},
              {"type": "track", "messageId": "m-3", "event": "Product Viewed"},
              {"type": "launch", "messageId": "m-4", "userId": "seg-bad"},
              {"type": "track", "messageId": "m-5", "userId": "seg-bad", "event": "Order Completed", "properties": {"total": -3}}
            ]}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToArray();
        Assert.Equal([(1, "messageId"), (2, "userId"), (3, "type")], fields);

        var negative = await client.PostAsync("/v1/track", JsonBody("""
            {"messageId": "m-5", "userId": "seg-bad", "event": "Order Completed", "properties": {"total": -3}}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("revenue", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var admin = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/stores/shop-a/customers/seg-bad")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await BasicAuthClient("nope").PostAsync("/v1/track", JsonBody("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await BasicAuthClient(ReaderA).PostAsync("/v1/track", JsonBody("{}"))).StatusCode);
    }

    [Fact]
    public async Task Gzip_bodies_are_accepted_and_messageId_retries_count_once()
    {
        using var client = BasicAuthClient(AdminA);
        var json = """{"messageId": "gz-1", "userId": "zipped", "event": "Product Viewed", "properties": {"category": "hats"}}""";

        var first = await client.SendAsync(Gzipped("/v1/track", json));
        var again = await client.SendAsync(Gzipped("/v1/track", json));
        var corrupt = new HttpRequestMessage(HttpMethod.Post, "/v1/track") { Content = new ByteArrayContent([1, 2, 3]) };
        corrupt.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        corrupt.Content.Headers.ContentEncoding.Add("gzip");

        Assert.Equal("""{"success":true,"accepted":1,"duplicates":0}""", await first.Content.ReadAsStringAsync());
        Assert.Equal("""{"success":true,"accepted":0,"duplicates":1}""", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(corrupt)).StatusCode);
    }

    private HttpClient BasicAuthClient(string writeKey)
    {
        var client = fixture.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{writeKey}:")));
        return client;
    }

    private static HttpRequestMessage Gzipped(string path, string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        return request;
    }

    private static async Task CreateSegmentAsync(HttpClient client, string id, string rule)
    {
        var response = await client.PostAsync("/v1/stores/shop-b/segments", JsonBody(JsonSerializer.Serialize(new { id, rule })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The SDK from the npm registry, installed once per machine into a temp folder.</summary>
    private static async Task<string> InstallAnalyticsNodeAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"customergrains-analytics-node-{SdkVersion}");
        if (!File.Exists(Path.Combine(folder, "node_modules", "@segment", "analytics-node", "package.json")))
        {
            Directory.CreateDirectory(folder);
            var (exitCode, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--silent", $"@segment/analytics-node@{SdkVersion}"], folder, []);
            Assert.True(exitCode == 0, $"npm install failed: {output}");
        }

        return folder;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
