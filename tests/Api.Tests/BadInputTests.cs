using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>Every client mistake gets a clear 4xx problem and changes nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiFixture fixture)
{
    private const string Good = """{"id": "ok-1", "customerId": "zoe", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}""";

    public static TheoryData<string, string, string> InvalidBatches => new()
    {
        { "not an array", """{"id": "x"}""", "JSON array" },
        { "missing id", """[{"customerId": "zoe", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}]""", "id" },
        { "number id", """[{"id": 7, "customerId": "zoe", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}]""", "must be a string" },
        { "bad type", """[{"id": "a", "customerId": "zoe", "type": "Page View", "timestamp": "2026-11-20T10:00:00Z"}]""", "type" },
        { "no offset", """[{"id": "a", "customerId": "zoe", "type": "visit", "timestamp": "2026-11-20T10:00:00"}]""", "offset" },
        { "far future", """[{"id": "a", "customerId": "zoe", "type": "visit", "timestamp": "2099-01-01T00:00:00Z"}]""", "timestamp" },
        { "far past", """[{"id": "a", "customerId": "zoe", "type": "visit", "timestamp": "1900-01-01T00:00:00Z"}]""", "timestamp" },
        { "negative revenue", """[{"id": "a", "customerId": "zoe", "type": "order_completed", "timestamp": "2026-11-20T10:00:00Z", "properties": {"revenue": -5}}]""", "revenue" },
        { "missing revenue", """[{"id": "a", "customerId": "zoe", "type": "order_completed", "timestamp": "2026-11-20T10:00:00Z"}]""", "revenue" },
        { "huge number", """[{"id": "a", "customerId": "zoe", "type": "order_completed", "timestamp": "2026-11-20T10:00:00Z", "properties": {"revenue": 1e999}}]""", "finite" },
        { "nested object", """[{"id": "a", "customerId": "zoe", "type": "visit", "timestamp": "2026-11-20T10:00:00Z", "properties": {"a": {"b": 1}}}]""", "nested" },
        { "control character id", "[{\"id\": \"a\\u0001\", \"customerId\": \"zoe\", \"type\": \"visit\", \"timestamp\": \"2026-11-20T10:00:00Z\"}]", "control" },
        { "unknown field", """[{"id": "a", "customerId": "zoe", "type": "visit", "timestamp": "2026-11-20T10:00:00Z", "revenue": 3}]""", "unknown field" },
        // An e-mail that is no address is dirty data, kept raw by the customer (ProfileNormalisationApiTests); one that is no string is a broken request.
        { "email that is no string", """[{"id": "a", "customerId": "zoe", "type": "identify", "timestamp": "2026-11-20T10:00:00Z", "properties": {"email": 7}}]""", "email" },
        { "malformed JSON", """[{"id": "a",""", "not valid JSON" },
        { "too deep", new string('[', 40) + new string(']', 40), "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public async Task An_invalid_batch_is_rejected_whole_with_reasons_and_applies_nothing(string why, string body, string reason)
    {
        using var client = fixture.Client(AdminA);
        var store = await NewStoreSegmentAsync(client);
        var before = await CountAsync(client, store);

        // A valid event first: the whole request must still be rejected.
        var batch = body.StartsWith('[') && body.Length > 2 && body.EndsWith(']') && !body.StartsWith("[[", StringComparison.Ordinal)
            ? $"[{Good},{body[1..]}"
            : body;
        var response = await client.PostAsync("/v1/stores/shop-a/events", JsonBody(batch));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/customers/zoe")).StatusCode);
        Assert.Equal(before, await CountAsync(client, store));
    }

    [Fact]
    public async Task Problems_name_each_bad_event_by_index()
    {
        using var client = fixture.Client(AdminA);
        var response = await client.PostAsync("/v1/stores/shop-a/events", JsonBody($$"""
            [{{Good}}, {"id": "b", "customerId": "", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}, {{Good}},
             {"id": "c", "customerId": "zoe", "type": "visit", "timestamp": "soon"}]
            """));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString()))
            .ToArray();
        Assert.Equal([(1, "customerId"), (3, "timestamp")], errors);
    }

    [Fact]
    public async Task Too_many_events_or_too_many_bytes_is_413()
    {
        using var client = fixture.Client(AdminA);
        var tooMany = "[" + string.Join(",", Enumerable.Range(0, 1001).Select(i =>
            $$"""{"id": "many-{{i}}", "customerId": "many", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}""")) + "]";
        var padding = new string('x', 1024 * 1024);
        var tooBig = $$$"""[{"id": "big", "customerId": "big", "type": "visit", "timestamp": "2026-11-20T10:00:00Z", "properties": {"p": "{{{padding}}}"}}]""";

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/v1/stores/shop-a/events", JsonBody(tooMany))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/v1/stores/shop-a/events", JsonBody(tooBig))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/customers/many")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/customers/big")).StatusCode);
    }

    [Fact]
    public async Task Keys_are_checked_before_anything_else()
    {
        using var anonymous = fixture.Client(null);
        using var wrongKey = fixture.Client("not-a-key");
        using var otherStore = fixture.Client(AdminB);
        using var reader = fixture.Client(ReaderA);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/stores/shop-a/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{Good}]"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherStore.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{Good}]"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherStore.GetAsync("/v1/stores/shop-a/customers/zoe")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherStore.GetAsync("/v1/stores/never-made/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{Good}]"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/v1/stores/shop-a/segments", JsonBody("""{"id": "x", "rule": "orders > 1"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/stores/shop-a/segments")).StatusCode);

        using var admin = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/stores/shop-a/customers/zoe")).StatusCode);
        var problem = await (await anonymous.GetAsync("/v1/stores/shop-a/segments")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    public static TheoryData<string, string> InvalidSegments => new()
    {
        { """{"id": "Bad Id", "rule": "orders > 1"}""", "id" },
        { """{"id": "x", "rule": "orders >"}""", "position 8" },
        { """{"id": "x", "rule": "orders > \"many\""}""", "position 9" },
        { """{"id": "x", "rule": "count(visit, 30) > 1"}""", "window" },
        { """{"id": "x", "rule": "lifetime_value > 1"}""", "unknown field" },
        { """{"id": "x", "rule": {"op": "~", "left": {"field": "orders"}, "right": 1}}""", "operator" },
        { """{"id": "x", "rule": 42}""", "rule" },
        { """{"id": "x", "parent": "no-such-parent", "rule": "orders > 1"}""", "does not exist" },
        { """{"id": "x", "rule": "in_segment(\"no-such\") and orders > 1"}""", "does not exist" },
        { """{"id": "x", "parent": "x", "rule": "orders > 1"}""", "parent" },
        { """{"id": "x"}""", "rule" },
    };

    [Theory]
    [MemberData(nameof(InvalidSegments))]
    public async Task An_invalid_segment_is_400_with_the_reason_and_is_not_saved(string body, string reason)
    {
        using var client = fixture.Client(AdminA);
        var response = await client.PostAsync("/v1/stores/shop-a/segments", JsonBody(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/segments/x")).StatusCode);
    }

    [Fact]
    public async Task Unknown_things_are_404_and_bad_paging_is_400()
    {
        using var client = fixture.Client(AdminA);
        var store = await NewStoreSegmentAsync(client);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/segments/no-such")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/segments/no-such/count")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/segments/no-such/members")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/v1/stores/shop-a/segments/no-such")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/customers/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/stores/shop-a/segments/{store}/members/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/v1/stores/shop-a/segments/{store}/members?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/v1/stores/shop-a/segments/{store}/members?limit=1001")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/v1/stores/shop-a/segments/{store}/members?cursor=%25%25%25")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/v1/stores/shop-a/segments/{store}/members?limit=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{store}}", "rule": "orders > 1"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync("/v1/stores/shop-a/events", new StringContent("[]", Encoding.UTF8, "text/plain"))).StatusCode);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_answer()
    {
        using var client = fixture.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/v1/stores/{store}/events", out _));
    }

    private static async Task<string> NewStoreSegmentAsync(HttpClient client)
    {
        var id = $"seg-{Guid.NewGuid():N}"[..20];
        var response = await client.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{id}}", "rule": "count(visit, 3650d) >= 1"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // Existing customers are being backfilled into it: wait for the status clients watch.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{id}")).GetProperty("status").GetString() != "ready")
        {
            Assert.True(DateTime.UtcNow < deadline, "the backfill did not finish");
            await Task.Delay(20);
        }

        return id;
    }

    private static async Task<long> CountAsync(HttpClient client, string segment) =>
        (await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}/count")).GetProperty("count").GetInt64();
}
