using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>Every limit answers with a clear problem: 413 for too large, 400 for anything else past a limit.</summary>
[Collection(ApiCollection.Name)]
public sealed class LimitsTests(ApiFixture fixture)
{
    private static readonly string Pad64K = new('x', 64 * 1024);

    public static TheoryData<string, string, string, int, string> Limits => new()
    {
        { "events over 1 MiB", "POST /v1/stores/shop-a/events", $$$"""[{"id": "l-1", "customerId": "lim", "type": "visit", "timestamp": "2026-11-20T10:00:00Z", "properties": {"p": "{{{new string('x', 1024 * 1024)}}}"}}]""", 413, "larger than" },
        { "more than 1000 events", "POST /v1/stores/shop-a/events", "[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $$$"""{"id": "l-{{{i}}}", "customerId": "lim", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}""")) + "]", 413, "at most 1000 events" },
        { "a tracking batch over 500 KB", "POST /v1/batch", $$$"""{"batch": [{"type": "track", "messageId": "l-1", "userId": "lim", "event": "x", "properties": {"p": "{{{new string('x', 500 * 1024)}}}"}}]}""", 413, "larger than" },
        { "more than 2500 tracking messages", "POST /v1/batch", "{\"batch\": [" + string.Join(",", Enumerable.Range(0, 2501).Select(_ => "{}")) + "]}", 413, "at most 2500 messages" },
        { "a tracking call over 32 KB", "POST /v1/track", $$$"""{"messageId": "l-1", "userId": "lim", "event": "x", "properties": {"p": "{{{new string('x', 32 * 1024)}}}"}}""", 413, "larger than" },
        { "a profile over 64 KB", "PUT /v1/stores/shop-a/customers/lim/profile", $$$"""{"city": "{{{Pad64K}}}"}""", 413, "larger than" },
        { "a segment definition over 64 KB", "POST /v1/stores/shop-a/segments", $$$"""{"id": "lim", "description": "{{{Pad64K}}}", "rule": "orders > 1"}""", 413, "larger than" },
        { "classification settings over 4 KB", "PUT /v1/stores/shop-a/classification", $$$"""{"highFrom": 1{{{new string(' ', 4096)}}}}""", 413, "larger than" },
        { "a key request over 4 KB", "POST /v1/stores/shop-a/keys", $$$"""{"scopes": ["read"], "name": "{{{new string('x', 4096)}}}"}""", 413, "larger than" },
        { "a rule over 4096 characters", "POST /v1/stores/shop-a/segments", $$$"""{"id": "lim", "rule": "orders > 1{{{string.Concat(Enumerable.Repeat(" or orders > 1", 300))}}}"}""", 400, "at most 4096 characters" },
        { "a rule nested deeper than 32", "POST /v1/stores/shop-a/segments", $$$"""{"id": "lim", "rule": "{{{new string('(', 33)}}}orders > 1{{{new string(')', 33)}}}"}""", 400, "levels of nesting" },
        { "a draft rule over 4096 characters", "POST /v1/stores/shop-a/segments/preview", $$$"""{"rule": "orders > 1{{{string.Concat(Enumerable.Repeat(" or orders > 1", 300))}}}"}""", 400, "at most 4096 characters" },
        { "JSON nested deeper than 16", "POST /v1/stores/shop-a/segments", $$$"""{"id": "lim", "rule": {{{new string('[', 20)}}}{{{new string(']', 20)}}}}""", 400, "not valid JSON" },
        { "a preview sample over 100", "POST /v1/stores/shop-a/segments/preview", """{"rule": "orders > 1", "sample": 101}""", 400, "sample" },
        { "more than 64 properties", "POST /v1/stores/shop-a/events", $$$"""[{"id": "l-1", "customerId": "lim", "type": "visit", "timestamp": "2026-11-20T10:00:00Z", "properties": { {{{string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"p{i}\": 1"))}}} }}]""", 400, "at most 64 properties" },
        { "a list over 100 items", "POST /v1/stores/shop-a/events", $$$"""[{"id": "l-1", "customerId": "lim", "type": "visit", "timestamp": "2026-11-20T10:00:00Z", "properties": {"tags": [{{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"t{i}\""))}}}]}}]""", 400, "at most 100 items" },
        { "an event id over 128 characters", "POST /v1/stores/shop-a/events", $$$"""[{"id": "{{{new string('i', 129)}}}", "customerId": "lim", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}]""", 400, "1–128 characters" },
        { "a segment name over 200 characters", "POST /v1/stores/shop-a/segments", $$$"""{"id": "lim", "name": "{{{new string('n', 201)}}}", "rule": "orders > 1"}""", 400, "1–200 characters" },
        { "a key name over 100 characters", "POST /v1/stores/shop-a/keys", $$$"""{"scopes": ["read"], "name": "{{{new string('n', 101)}}}"}""", 400, "1–100 characters" },
        { "a page of more than 1000 members", "GET /v1/stores/shop-a/segments/lifecycle-new/members?limit=1001", "", 400, "limit" },
        { "a page of no members", "GET /v1/stores/shop-a/segments/lifecycle-new/members?limit=0", "", 400, "limit" },
        { "a cursor over 256 characters", $"GET /v1/stores/shop-a/segments/lifecycle-new/members?cursor={new string('a', 300)}", "", 400, "cursor" },
        { "a customer id over 128 characters", $"GET /v1/stores/shop-a/customers/{new string('c', 129)}", "", 400, "not valid" },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task A_request_past_a_limit_gets_a_clear_problem_and_changes_nothing(string why, string route, string body, int status, string reason)
    {
        using var client = fixture.Client(AdminA);
        var segmentsBefore = await SegmentIdsAsync(client);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (segmentsBefore.Split(',').Count(s => s.StartsWith("lifecycle-", StringComparison.Ordinal)) < 6)
        {
            // A store's first request creates its default segments; let that finish before comparing.
            Assert.True(DateTime.UtcNow < deadline, "the default segments were not created");
            await Task.Delay(20);
            segmentsBefore = await SegmentIdsAsync(client);
        }

        var parts = route.Split(' ', 2);
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), parts[1]);
        if (body.Length > 0)
        {
            request.Content = JsonBody(body);
        }

        var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode == status, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/customers/lim")).StatusCode);
        Assert.Equal(segmentsBefore, await SegmentIdsAsync(client));
    }

    [Fact]
    public async Task A_small_gzip_body_that_inflates_past_the_limit_is_413()
    {
        using var client = fixture.Client(AdminA);
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("[" + new string(' ', 8 * 1024 * 1024) + "]"));
        }

        using var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        Assert.True(packed.Length < 64 * 1024);

        var response = await client.PostAsync("/v1/stores/shop-a/events", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_of_unknown_length_past_the_limit_is_413()
    {
        using var client = fixture.Client(AdminA);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + new string(' ', 3 * 1024 * 1024) + "]")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/stores/shop-a/events") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private static async Task<string> SegmentIdsAsync(HttpClient client) =>
        string.Join(",", (await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments")).GetProperty("items").EnumerateArray()
            .Select(s => $"{s.GetProperty("id").GetString()}@{s.GetProperty("version").GetInt64()}").Order(StringComparer.Ordinal));
}
