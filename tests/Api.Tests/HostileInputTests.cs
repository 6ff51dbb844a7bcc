using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerGrains.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// Thousands of seeded hostile requests at every route of a real Api process: none may get a 5xx or take the
/// process down, every 4xx is a problem with a reason, and a rejected request changes nothing (the store's
/// segments, counts, members, customers and reconcile report are compared before and after).
/// Set <c>FUZZ_SEED</c> to replay another seed, <c>FUZZ_HTTP_CASES</c> for more mutations.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(FuzzApiFixture api, ITestOutputHelper output) : IClassFixture<FuzzApiFixture>
{
    private const string Store = FuzzApiFixture.Store;
    private const string Key = FuzzApiFixture.Key;
    private const int DefaultSeed = 20261201;
    private const int CheckEvery = 100;

    private static readonly string[] Customers = [.. Enumerable.Range(0, 8).Select(i => $"c-{i}"), .. Enumerable.Range(0, 5).Select(i => $"{HostileRequests.GhostPrefix}{i}")];

    private readonly HttpClient _http = api.Http;
    private readonly List<string> _failures = [];
    private HostileRequest? _lastAccepted;

    [Fact]
    public async Task Hostile_requests_get_a_4xx_problem_and_rejected_ones_change_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var mutations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_HTTP_CASES"), CultureInfo.InvariantCulture, out var n) ? n : 2000;
        var now = DateTimeOffset.UtcNow;
        await SetUpStoreAsync(now);

        var baseline = await SnapshotAsync();
        var sinceBaseline = new List<HostileRequest>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var (sent, accepted) = (0, 0);
        foreach (var request in new HostileRequests(seed, Store, now).All(mutations))
        {
            var status = await SendAsync(request, seed);
            sent++;
            var kind = request.Name.StartsWith("mutated", StringComparison.Ordinal) ? "mutated" : request.MustReject ? "injected fault" : "other";
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            if (status is >= 200 and < 300 && request.Mutates)
            {
                // Accepted: the store may change, so it becomes the new baseline. (The rejected requests since the
                // last check go unchecked; injected faults come first and are all rejected, so this only thins the
                // check of the mutations.)
                accepted++;
                _lastAccepted = request;
                baseline = await SnapshotAsync();
                sinceBaseline.Clear();
            }
            else
            {
                sinceBaseline.Add(request);
            }

            if (sent % CheckEvery == 0)
            {
                await AssertAliveAsync(request, seed);
                baseline = await CompareAsync(baseline, sinceBaseline, seed);
                sinceBaseline.Clear();
            }

            Assert.True(_failures.Count < 25, Report(seed));
        }

        await AssertAliveAsync(null, seed);
        await CompareAsync(baseline, sinceBaseline, seed);
        output.WriteLine($"seed {seed}: {sent} requests ({string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"))}), {accepted} accepted writes");
        Assert.True(_failures.Count == 0, Report(seed));
    }

    private async Task<int> SendAsync(HostileRequest request, int seed)
    {
        HttpResponseMessage response;
        try
        {
            using var message = new HttpRequestMessage(request.Method, request.Path);
            message.Headers.TryAddWithoutValidation("Authorization", request.Authorization ?? $"Bearer {Key}");
            if (request.Body is not null)
            {
                message.Content = new ByteArrayContent(request.Body);
                if (request.ContentType is not null)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
                }

                if (request.ContentEncoding is not null)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Encoding", request.ContentEncoding);
                }
            }

            response = await _http.SendAsync(message);
        }
        catch (HttpRequestException error)
        {
            Fail(seed, request, $"the connection failed: {error.Message}");
            return 0;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsByteArrayAsync();
            if (status >= 500)
            {
                Fail(seed, request, $"{status}: {HostileRequest.Escape(body)}");
            }
            else if (request.MustReject && status < 400)
            {
                Fail(seed, request, $"accepted ({status}) although it carries a known fault: {HostileRequest.Escape(body)}");
            }
            else if (status >= 400 && Problem(response, body, status) is { } what)
            {
                Fail(seed, request, $"{status} without a problem body: {what}");
            }

            return status;
        }
    }

    /// <summary>Why a 4xx is not an RFC 9457 problem with a reason, or null when it is.</summary>
    private static string? Problem(HttpResponseMessage response, byte[] body, int status)
    {
        // Requests Kestrel refuses before the application sees them (a 9000-character path, %00 in the path) get
        // its bare answer.
        if (body.Length == 0 && (status is 414 or 431 || (status == 400 && response.RequestMessage?.RequestUri?.OriginalString.Contains("%00", StringComparison.Ordinal) == true)))
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType?.MediaType ?? "(none)"}: {HostileRequest.Escape(body)}";
        }

        try
        {
            var problem = JsonNode.Parse(body)!.AsObject();
            var reason = problem["detail"]?.GetValue<string>() ?? problem["title"]?.GetValue<string>();
            return problem["status"]?.GetValue<int>() == status && !string.IsNullOrWhiteSpace(reason) ? null : $"no status or reason: {HostileRequest.Escape(body)}";
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            return $"not JSON: {HostileRequest.Escape(body)}";
        }
    }

    private async Task AssertAliveAsync(HostileRequest? last, int seed)
    {
        try
        {
            using var live = await _http.GetAsync("/health/live");
            if (live.StatusCode != HttpStatusCode.OK)
            {
                Fail(seed, last, $"/health/live answered {live.StatusCode} after this request");
            }
        }
        catch (HttpRequestException error)
        {
            Assert.Fail($"seed {seed}: the Api stopped answering after {last?.Show()}: {error.Message}\n{Report(seed)}");
        }
    }

    /// <summary>Compares the store with the baseline; on a difference, blames the rejected requests since then.</summary>
    private async Task<StoreSnapshot> CompareAsync(StoreSnapshot baseline, List<HostileRequest> since, int seed)
    {
        var now = await SnapshotAsync();
        var differences = baseline.Differences(now);
        if (differences.Count > 0)
        {
            _failures.Add($"seed {seed}: the store changed although these {since.Count} requests were all rejected:\n    "
                + string.Join("\n    ", differences.Take(5))
                + "\n  rejected requests:\n    " + string.Join("\n    ", since.Take(10).Select(r => r.Show())));
        }

        return now;
    }

    private async Task SetUpStoreAsync(DateTimeOffset now)
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        // Fixed value tiers: percentile tiers would move as the population sketch settles in the background.
        await SendOkAsync(HttpMethod.Put, $"/v1/stores/{Store}/classification", """{"highFrom": 1000, "mediumFrom": 100}""");
        foreach (var segment in new[]
        {
            """{"id": "buyers", "rule": "orders >= 1"}""",
            """{"id": "visitors", "rule": "count(visit, 3650d) >= 1"}""",
            """{"id": "spain", "name": "Spain", "rule": "profile.country == \"ES\""}""",
            """{"id": "spain-buyers", "parent": "spain", "rule": "orders >= 1"}""",
            """{"id": "vip-buyers", "rule": "in_segment(\"buyers\") and revenue > 50"}""",
        })
        {
            await SendOkAsync(HttpMethod.Post, $"/v1/stores/{Store}/segments", segment);
        }

        var events = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var at = now.AddDays(-3).AddHours(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var country = i % 2 == 0 ? "ES" : "MX";
            events.Add($$$"""{"id": "s-i-{{{i}}}", "customerId": "c-{{{i}}}", "type": "identify", "timestamp": "{{{at}}}", "properties": {"email": "c{{{i}}}@example.com", "country": "{{{country}}}"}}""");
            events.Add($$"""{"id": "s-v-{{i}}", "customerId": "c-{{i}}", "type": "visit", "timestamp": "{{at}}"}""");
            if (i % 3 != 2)
            {
                events.Add($$$"""{"id": "s-o-{{{i}}}", "customerId": "c-{{{i}}}", "type": "order_completed", "timestamp": "{{{at}}}", "properties": {"orderId": "o-{{{i}}}", "revenue": {{{20 * (i + 1)}}}}}""");
            }
        }

        await SendOkAsync(HttpMethod.Post, $"/v1/stores/{Store}/events", $"[{string.Join(",", events)}]");

        // Value tiers are applied in the background after orders are acknowledged, and silos take up to 2 s to
        // read the fixed thresholds (until then they may classify by percentiles): wait for the fixed tiers to show.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var (customer, tier) in new[] { ("c-0", "low"), ("c-7", "medium") })
        {
            while ((string?)(await ReadAsync($"/v1/stores/{Store}/customers/{customer}"))!["classification"]!["valueTier"] != tier)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{customer} never showed value tier {tier} of the fixed thresholds");
                await Task.Delay(100);
            }
        }
    }

    /// <summary>What the fuzzer found: each of these was a 500, or (the dot ids) a customer no route could name.</summary>
    [Theory]
    [InlineData("POST", "/v1/stores/fuzz/events", "[{\"id\": \"a\", \"customerId\": \"\\ud800\", \"type\": \"visit\", \"timestamp\": \"2026-11-20T10:00:00Z\"}]", "surrogate")]
    [InlineData("POST", "/v1/stores/fuzz/segments/preview", "{\"rule\": \"orders > 1\", \"sample\": \"10\"}", "sample")]
    [InlineData("POST", "/v1/stores/fuzz/segments/preview", "{\"rule\": \"orders > 1\", \"sample\": null}", "sample")]
    [InlineData("POST", "/v1/stores/fuzz/segments", "{\"id\": \"w\", \"rule\": \"count(visit, 1.5d) > 1\"}", "window")]
    [InlineData("POST", "/v1/stores/fuzz/segments", "{\"id\": \"w\", \"rule\": \"count(visit, 9223372036854775807w) > 1\"}", "window")]
    [InlineData("POST", "/v1/batch", "{\"batch\": [{\"type\": \"track\", \"event\": \"X\", \"userId\": \"u\", \"messageId\": \"m\", \"timestamp\": \"0001-01-01T00:00:00Z\", \"sentAt\": \"2099-01-01T00:00:00Z\"}]}", "timestamp")]
    [InlineData("POST", "/v1/stores/fuzz/events", "[{\"id\": \"d\", \"customerId\": \"..\", \"type\": \"visit\", \"timestamp\": \"2026-11-20T10:00:00Z\"}]", "'..'")]
    public async Task Found_inputs_are_a_400_with_the_reason(string method, string path, string body, string reason)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Key) },
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Ids are the store's own: whatever they look like, they are data, found again through the escaped route.</summary>
    [Theory]
    [InlineData("a/b")]
    [InlineData("../../etc/passwd")]
    [InlineData("'; DROP TABLE cg_customers; --")]
    [InlineData("%00")]
    [InlineData("100%")]
    [InlineData("a%2Fb")]
    [InlineData("a?b#c")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("💥 ünïcode")]
    [InlineData("a%252Fb")]
    [InlineData("a/b/")]
    [InlineData("/")]
    public async Task Injection_shaped_ids_are_stored_verbatim_and_found_again(string id)
    {
        var json = JsonSerializer.Serialize(new[] { new { id = $"inj-{id}", customerId = id, type = "order_completed", timestamp = DateTimeOffset.UtcNow.AddHours(-1), properties = new { revenue = 5 } } });
        using var created = await SendAsync(HttpMethod.Post, $"/v1/stores/{Store}/segments", """{"id": "inj-buyers", "rule": "orders >= 1"}""");
        using var posted = await SendAsync(HttpMethod.Post, $"/v1/stores/{Store}/events", json);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var route = Uri.EscapeDataString(id);
        using var customer = await SendAsync(HttpMethod.Get, $"/v1/stores/{Store}/customers/{route}", null);
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
        Assert.Equal(id, JsonNode.Parse(await customer.Content.ReadAsStringAsync())!["customerId"]!.GetValue<string>());
        using var member = await SendAsync(HttpMethod.Get, $"/v1/stores/{Store}/segments/inj-buyers/members/{route}", null);
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);

        using var erased = await SendAsync(HttpMethod.Delete, $"/v1/stores/{Store}/customers/{route}", null);
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        using var gone = await SendAsync(HttpMethod.Get, $"/v1/stores/{Store}/customers/{route}", null);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_UTF_8_is_a_400()
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/v1/stores/{Store}/events")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Key) },
            Content = new ByteArrayContent([.. "[{\"id\": \"a\", \"customerId\": \""u8, 0xc3, 0x28, .. "\", \"type\": \"visit\", \"timestamp\": \"2026-11-20T10:00:00Z\"}]"u8])
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json)
    {
        var request = new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } };
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }

    private async Task SendOkAsync(HttpMethod method, string path, string json)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        Assert.True(response.IsSuccessStatusCode, $"setting up {method} {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Everything a client can read about the store, once every segment is ready and reconcile finds it
    /// consistent. (Segments that read an edited one are re-derived as it switches: for a moment the edited one
    /// is ready while they still have their old members.)
    /// </summary>
    private async Task<StoreSnapshot> SnapshotAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (snapshot, problem) = await TrySnapshotAsync();
            if (problem is null)
            {
                return snapshot!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the store did not settle after {_lastAccepted?.Show() ?? "the set-up"}: {problem}");
            await Task.Delay(50);
        }
    }

    private async Task<(StoreSnapshot? Snapshot, string? Problem)> TrySnapshotAsync()
    {
        var segments = (JsonArray)(await ReadAsync($"/v1/stores/{Store}/segments"))!["items"]!;
        if (!segments.All(x => x!["status"]?.GetValue<string>() == "ready" && x["pendingVersion"] is null))
        {
            return (null, $"segments are not ready: {segments.ToJsonString()}");
        }

        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["segments"] = segments.ToJsonString(),
            ["classification"] = (await ReadAsync($"/v1/stores/{Store}/classification"))!.ToJsonString(),
        };
        foreach (var id in segments.Select(x => x!["id"]!.GetValue<string>()))
        {
            var count = (await ReadAsync($"/v1/stores/{Store}/segments/{id}/count"))!.AsObject();
            count.Remove("asOf");
            facts[$"count {id}"] = count.ToJsonString();
            facts[$"members {id}"] = (await ReadAsync($"/v1/stores/{Store}/segments/{id}/members?limit=1000"))!.ToJsonString();
        }

        foreach (var customer in Customers)
        {
            using var response = await _http.GetAsync($"/v1/stores/{Store}/customers/{customer}");
            var view = response.StatusCode == HttpStatusCode.OK ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject() : null;

            // RFM scores follow the store's population, which is merged in the background after accepted orders.
            view?["classification"]?.AsObject().Remove("rfm");
            facts[$"customer {customer}"] = $"{(int)response.StatusCode} {view?.ToJsonString()}";
        }

        using var reconcile = await _http.PostAsync($"/v1/stores/{Store}/reconcile", null);
        var report = JsonNode.Parse(await reconcile.Content.ReadAsStringAsync())!;
        if (report["consistent"]?.GetValue<bool>() != true)
        {
            return (null, $"reconcile found differences: {report.ToJsonString()}");
        }

        var after = (await ReadAsync($"/v1/stores/{Store}/segments"))!["items"]!.ToJsonString();
        if (after != facts["segments"])
        {
            return (null, $"segments changed while they were read: {after}");
        }

        facts["customers"] = report["customers"]!.ToJsonString();
        return (new StoreSnapshot(facts), null);
    }

    private async Task<JsonNode?> ReadAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {response.StatusCode} {text}");
        return JsonNode.Parse(text);
    }

    private void Fail(int seed, HostileRequest? request, string what) =>
        _failures.Add($"seed {seed}: {what}\n    {request?.Show() ?? "(after the run)"}");

    private string Report(int seed) =>
        $"seed {seed} (FUZZ_SEED={seed} replays it): {_failures.Count} failures\n  {string.Join("\n  ", _failures)}";

    private sealed record StoreSnapshot(SortedDictionary<string, string> Facts)
    {
        public List<string> Differences(StoreSnapshot other) =>
        [
            .. Facts.Keys.Union(other.Facts.Keys)
                .Where(k => Facts.GetValueOrDefault(k) != other.Facts.GetValueOrDefault(k))
                .Select(k => Describe(k, Facts.GetValueOrDefault(k), other.Facts.GetValueOrDefault(k))),
        ];

        /// <summary>Both texts from a little before where they first differ.</summary>
        private static string Describe(string key, string? before, string? after)
        {
            if (before is null || after is null)
            {
                return $"{key}: {before ?? "(absent)"} → {after ?? "(absent)"}";
            }

            var at = 0;
            while (at < before.Length && at < after.Length && before[at] == after[at])
            {
                at++;
            }

            var from = Math.Max(0, at - 60);
            return $"{key}: …{before[from..Math.Min(before.Length, at + 200)]} → …{after[from..Math.Min(after.Length, at + 200)]}";
        }
    }
}
