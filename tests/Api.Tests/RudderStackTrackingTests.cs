using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Browser;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// A store points RudderStack's Node SDK at us (<c>dataPlaneUrl</c>) and its customers show up, segmented: it posts gzip
/// JSON labelled <c>application/x-www-form-urlencoded</c> to <c>/v1/batch</c>, stamps <c>originalTimestamp</c>, and retries
/// the very bytes of a failed attempt. Also what the tracking routes do with bodies that are not what they seem.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RudderStackTrackingTests(ApiFixture fixture)
{
    [Fact]
    public async Task The_real_rudderstack_node_sdk_feeds_customers_and_a_late_retried_batch_takes_its_place_in_time()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var user = $"rs-{run}";
        var segment = $"rs-{run}-two-shops";
        using var admin = fixture.Client(AdminB);
        var created = await admin.PostAsync("/v1/stores/shop-b/segments", JsonBody(JsonSerializer.Serialize(new
        {
            id = segment,
            rule = "count(order_completed where categories contains \"shoes\", 365d) >= 1 and orders >= 2 and profile.country == \"PT\"",
        })));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var folder = await BrowserTrackingClients.InstallAsync(BrowserTrackingClients.RudderStackNode);
        var script = Path.Combine(folder, $"send-{run}.js");
        await File.WriteAllTextAsync(script, LateRetryScript);
        var (exitCode, output) = await BrowserTrackingClients.RunAsync("node", [script], folder, new Dictionary<string, string>
        {
            ["WRITE_KEY"] = AdminB,
            ["API"] = fixture.Api.BaseAddress.ToString().TrimEnd('/'),
            ["USER_ID"] = user,
        });
        Assert.True(exitCode == 0 && output.Contains("done", StringComparison.Ordinal), output);

        // What the SDK sends, as measured: the label and encoding that used to get a 415.
        Assert.Contains("lost first attempt: POST /v1/batch application/x-www-form-urlencoded gzip", output, StringComparison.Ordinal);
        // The SDK sends its first call at once and the next in a batch of its own: both held back until the second
        // client's batches were acknowledged (the first one a retry), then each sent again as an at-least-once delivery
        // would: the uuid messageIds make the copies duplicates.
        Assert.Equal(["""200 {"success":true,"accepted":1,"duplicates":0}""", """200 {"success":true,"accepted":1,"duplicates":0}"""], Lines(output, "late batch: "));
        Assert.Equal(["""200 {"success":true,"accepted":0,"duplicates":1}""", """200 {"success":true,"accepted":0,"duplicates":1}"""], Lines(output, "again: "));
        var secondAcked = DateTimeOffset.Parse(Assert.Single(Lines(output, "second acked at: ")), CultureInfo.InvariantCulture);

        var customer = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-b/customers/{user}");
        var profile = customer.GetProperty("profile");
        // The second client's identify happened later, so it wins though the first client's arrived after it...
        Assert.Equal("new@example.com", profile.GetProperty("email").GetString());
        Assert.Equal("Rita", profile.GetProperty("firstName").GetString());
        // ...and what only the late batch said is there, at the time it happened, not when it arrived.
        Assert.Equal("PT", profile.GetProperty("country").GetString());
        var traits = customer.GetProperty("traits");
        Assert.Equal(2, traits.GetProperty("orders").GetInt32());
        Assert.Equal(100, traits.GetProperty("revenue").GetDouble());
        Assert.True(traits.GetProperty("firstOrderAt").GetDateTimeOffset() < secondAcked, $"{traits} after {secondAcked:O}");
        var segments = customer.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToArray();
        Assert.Contains(segment, segments);
    }

    [Fact]
    public async Task A_gzip_bomb_is_413_and_a_malformed_gzip_body_is_400_before_and_after_the_key_check()
    {
        // 64 MiB of spaces inside a JSON string: about 64 KB compressed, far past the 500 KB a batch may inflate to.
        var bomb = Gzip(Encoding.UTF8.GetBytes($"{{\"batch\": [], \"writeKey\": \"{AdminA}\", \"pad\": \""), spaces: 64 * 1024 * 1024);
        Assert.True(bomb.Length < 100 * 1024, $"{bomb.Length} bytes");
        using var keyed = BasicAuthClient(AdminA);
        using var anonymous = fixture.Client(null);

        foreach (var (client, path) in new[] { (keyed, "/v1/batch"), (anonymous, "/v1/b") })
        {
            var tooLarge = await client.SendAsync(Labelled(path, bomb, "application/x-www-form-urlencoded", "gzip"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
            var corrupt = await client.SendAsync(Labelled(path, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7], "application/x-www-form-urlencoded", "gzip"));
            Assert.Equal(HttpStatusCode.BadRequest, corrupt.StatusCode);
            Assert.Contains("not valid gzip", await corrupt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var unknown = await keyed.SendAsync(Labelled("/v1/batch", Gzip("{\"batch\": []}"u8.ToArray()), "application/json", "zstd"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unknown.StatusCode);
    }

    [Fact]
    public async Task Any_label_is_read_as_JSON_on_the_tracking_routes_only_and_a_messageId_counts_once()
    {
        using var client = BasicAuthClient(AdminA);
        var user = $"label-{Guid.NewGuid():N}"[..20];
        var id = Guid.NewGuid().ToString();
        var json = Encoding.UTF8.GetBytes($$"""{"batch": [{"type": "track", "messageId": "{{id}}", "userId": "{{user}}", "event": "Product Viewed", "originalTimestamp": "2026-11-20T10:00:00.000Z"}]}""");

        foreach (var (label, expected) in new[] { ("text/plain", """{"success":true,"accepted":1,"duplicates":0}"""), ("application/x-www-form-urlencoded", """{"success":true,"accepted":0,"duplicates":1}""") })
        {
            var response = await client.SendAsync(Labelled("/v1/batch", json, label, null));
            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        }

        // deflate (zlib) is decoded too.
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(json);
        }

        var again = await client.SendAsync(Labelled("/v1/batch", deflated.ToArray(), "text/plain", "deflate"));
        Assert.Equal("""{"success":true,"accepted":0,"duplicates":1}""", await again.Content.ReadAsStringAsync());

        // The event keeps the time the client stamped, not the arrival.
        using var admin = fixture.Client(AdminA);
        var customer = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{user}");
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), customer.GetProperty("traits").GetProperty("firstSeenAt").GetDateTimeOffset());

        // Every other route still wants JSON said to be JSON.
        var events = new HttpRequestMessage(HttpMethod.Post, "/v1/stores/shop-a/events") { Content = new StringContent("[]", Encoding.UTF8, "text/plain") };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.SendAsync(events)).StatusCode);
    }

    [Fact]
    public async Task A_write_key_in_the_body_may_only_ingest()
    {
        using var anonymous = fixture.Client(null);
        var user = $"bodykey-{Guid.NewGuid():N}"[..20];
        var track = $$"""{"writeKey": "{{AdminA}}", "messageId": "{{Guid.NewGuid()}}", "userId": "{{user}}", "event": "Signed Up"}""";

        // An admin key in a tracking call's body records the call...
        var tracked = await anonymous.PostAsync("/v1/t", new StringContent(track, Encoding.UTF8, "text/plain"));
        Assert.Equal("""{"success":true,"accepted":1,"duplicates":0}""", await tracked.Content.ReadAsStringAsync());

        // ...and opens nothing else: no other route reads a key from the body or the query.
        var segment = await anonymous.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"writeKey": "{{AdminA}}", "id": "bodykey", "rule": "orders > 1"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, segment.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/stores/shop-a/customers/{user}?writeKey={AdminA}")).StatusCode);
        var events = await anonymous.PostAsync("/v1/stores/shop-a/events", JsonBody($$"""{"writeKey": "{{AdminA}}"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
        // The query's key is the beacon route's alone.
        var queried = await anonymous.PostAsync($"/v1/t?writeKey={AdminA}", new StringContent($$"""{"messageId": "q-1", "userId": "{{user}}", "event": "Signed Up"}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Unauthorized, queried.StatusCode);

        // A key without the ingest scope cannot ingest from the body either; a made-up one is unknown.
        var reader = await anonymous.PostAsync("/v1/t", new StringContent(track.Replace(AdminA, ReaderA, StringComparison.Ordinal), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        var madeUp = await anonymous.PostAsync("/v1/t", new StringContent(track.Replace(AdminA, "made-up", StringComparison.Ordinal), Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.Unauthorized, madeUp.StatusCode);

        using var admin = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/stores/shop-a/segments/bodykey")).StatusCode);
        var customer = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{user}");
        Assert.Equal(1, customer.GetProperty("traits").GetProperty("events").GetInt32());
    }

    /// <summary>
    /// Two SDK clients of one store, as two servers would run them. The first's batches go through a proxy that loses
    /// the first attempt (503: the SDK retries the same bytes) and holds the others until the second client's batches,
    /// sent after them, were acknowledged; then each is forwarded byte for byte, and once more (a duplicate delivery).
    /// </summary>
    private const string LateRetryScript = """
        const http = require('http');
        const Analytics = require('@rudderstack/rudder-sdk-node');
        const api = new URL(process.env.API);
        const user = process.env.USER_ID;
        let firstLost, secondAcked;
        const lost = new Promise((resolve) => { firstLost = resolve; });
        const acked = new Promise((resolve) => { secondAcked = resolve; });
        let attempts = 0;

        function forward(req, body) {
          return new Promise((resolve, reject) => {
            const out = http.request({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (res) => {
              const chunks = [];
              res.on('data', (c) => chunks.push(c));
              res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
            });
            out.on('error', reject);
            out.end(body);
          });
        }

        const proxy = http.createServer((req, res) => {
          const chunks = [];
          req.on('data', (c) => chunks.push(c));
          req.on('end', async () => {
            const body = Buffer.concat(chunks);
            if (++attempts === 1) {
              console.log(`lost first attempt: ${req.method} ${req.url} ${req.headers['content-type']} ${req.headers['content-encoding']}`);
              res.statusCode = 503;
              res.end();
              firstLost();
              return;
            }
            await acked;
            const late = await forward(req, body);
            console.log(`late batch: ${late.status} ${late.body}`);
            const again = await forward(req, body);
            console.log(`again: ${again.status} ${again.body}`);
            res.statusCode = late.status;
            res.setHeader('content-type', 'application/json');
            res.end(late.body);
          });
        });

        proxy.listen(0, '127.0.0.1', async () => {
          const options = { flushAt: 20, flushInterval: 60000, logLevel: 'error' };
          const first = new Analytics(process.env.WRITE_KEY, { ...options, dataPlaneUrl: `http://127.0.0.1:${proxy.address().port}` });
          const second = new Analytics(process.env.WRITE_KEY, { ...options, dataPlaneUrl: process.env.API });
          first.identify({ userId: user, traits: { email: 'old@example.com', firstName: 'Rui', address: { country: 'PT' } } });
          first.track({ userId: user, event: 'Order Completed', properties: { order_id: 'R-1', total: 40, currency: 'eur',
            products: [{ product_id: 'p-1', category: 'hats', price: 40, quantity: 1 }] } });
          const stamped = Date.now();
          const firstDelivered = new Promise((resolve, reject) => first.flush((error) => (error ? reject(error) : resolve())));
          await lost;
          // The second client's calls come after the first's, by the clock too (timestamps have milliseconds).
          while (Date.now() <= stamped) await new Promise((resolve) => setImmediate(resolve));
          second.identify({ userId: user, traits: { email: 'new@example.com', firstName: 'Rita' } });
          second.track({ userId: user, event: 'Order Completed', properties: { order_id: 'R-2', total: 60, currency: 'eur',
            products: [{ product_id: 'p-2', category: 'shoes', price: 60, quantity: 1 }] } });
          await new Promise((resolve, reject) => second.flush((error) => (error ? reject(error) : resolve())));
          console.log(`second acked at: ${new Date().toISOString()}`);
          secondAcked();
          await firstDelivered;
          console.log('done');
          proxy.close();
          process.exit(0);
        });
        """;

    private static string[] Lines(string output, string prefix) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..])];

    private HttpClient BasicAuthClient(string writeKey)
    {
        var client = fixture.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{writeKey}:")));
        return client;
    }

    private static HttpRequestMessage Labelled(string path, byte[] body, string contentType, string? encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (encoding is not null)
        {
            request.Content.Headers.ContentEncoding.Add(encoding);
        }

        return request;
    }

    /// <summary><paramref name="data"/> gzipped; with <paramref name="spaces"/>, followed by that many spaces and <c>"}</c>.</summary>
    private static byte[] Gzip(byte[] data, int spaces = 0)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
            var block = Enumerable.Repeat((byte)' ', 1024 * 1024).ToArray();
            for (var written = 0; written < spaces; written += block.Length)
            {
                gzip.Write(block, 0, Math.Min(block.Length, spaces - written));
            }

            if (spaces > 0)
            {
                gzip.Write("\"}"u8);
            }
        }

        return buffer.ToArray();
    }
}
