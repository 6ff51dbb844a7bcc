using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>What a store does on day one, over real HTTP, then the same answers after a crash.</summary>
[Collection(ApiCollection.Name)]
public sealed class StoreFlowTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_store_segments_its_customers_and_finds_everything_again_after_a_crash()
    {
        using var admin = fixture.Client(AdminA);
        var segment = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody("""
            {"id": "repeat-buyers", "name": "Repeat buyers", "description": "Two orders or more", "rule": "orders >= 2"}
            """));
        Assert.Equal(HttpStatusCode.Created, segment.StatusCode);
        Assert.Equal("/v1/stores/shop-a/segments/repeat-buyers", segment.Headers.Location?.ToString());
        var created = await segment.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("orders >= 2", created.GetProperty("rule").GetString());
        Assert.Equal(1, created.GetProperty("version").GetInt64());

        var spain = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody("""
            {"id": "spain", "name": "Spain", "rule": {"op": "in", "left": {"profile": "country"}, "right": ["ES"]}}
            """));
        Assert.Equal(HttpStatusCode.Created, spain.StatusCode);
        Assert.Equal("profile.country in [\"ES\"]", (await spain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());

        var batch = """
            [
              {"id": "i-1", "customerId": "ana", "type": "identify", "timestamp": "2026-11-01T09:00:00Z",
               "properties": {"email": "ana@example.com", "country": "ES", "interests": ["running"]}},
              {"id": "o-1", "customerId": "ana", "type": "order_completed", "timestamp": "2026-11-02T10:00:00+01:00",
               "properties": {"revenue": 40, "currency": "EUR", "items": [{"sku": "s1", "category": "shoes", "price": 40, "quantity": 1}]}},
              {"id": "o-2", "customerId": "ana", "type": "order_completed", "timestamp": "2026-11-03T10:00:00Z", "properties": {"revenue": 60}},
              {"id": "o-3", "customerId": "bob", "type": "order_completed", "timestamp": "2026-11-03T11:00:00Z", "properties": {"revenue": 15}},
              {"id": "v-1", "customerId": "bob", "type": "visit", "timestamp": "2026-11-04T11:00:00Z"}
            ]
            """;
        var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody(batch));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("""{"accepted":5,"duplicates":0}""", await posted.Content.ReadAsStringAsync());

        await AssertTheStoreAsync(admin);

        await fixture.RestartAsync();
        using var again = fixture.Client(AdminA);
        await AssertTheStoreAsync(again);

        var retried = await again.PostAsync("/v1/stores/shop-a/events", JsonBody(batch));
        Assert.Equal("""{"accepted":0,"duplicates":5}""", await retried.Content.ReadAsStringAsync());
        await AssertTheStoreAsync(again);
    }

    [Fact]
    public async Task Members_are_paged_exactly_and_stably()
    {
        using var admin = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments",
            JsonBody("""{"id": "pagers", "name": "Pagers", "rule": "count(page_viewed, 30d) >= 1"}"""))).StatusCode);
        var events = Enumerable.Range(0, 250).Select(i =>
            $$"""{"id": "p-{{i}}", "customerId": "pager-{{i:D3}}", "type": "page_viewed", "timestamp": "{{DateTimeOffset.UtcNow.AddMinutes(-i):O}}"}""");
        var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{string.Join(",", events)}]"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var url = "/v1/stores/shop-a/segments/pagers/members?limit=40" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await admin.GetFromJsonAsync<JsonElement>(url);
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("customerId").GetString()!).ToList();
            Assert.True(items.Count <= 40);
            seen.AddRange(items);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"pager-{i:D3}"), seen);
        var count = await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments/pagers/count");
        Assert.Equal(250, count.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_preview_counts_a_draft_rule_exactly_and_saves_nothing()
    {
        using var admin = fixture.Client(AdminA);
        var run = Guid.NewGuid().ToString("N")[..6];
        var events = Enumerable.Range(0, 30).Select(i =>
            $$$"""{"id": "pv-{{{run}}}-{{{i}}}", "customerId": "pv-{{{run}}}-{{{i % 10}}}", "type": "identify", "timestamp": "2026-11-20T10:00:00Z", "properties": {"city": "{{{(i % 10 < 3 ? "Lyon" : "Paris")}}}", "occupation": "{{{run}}}"}}""");
        var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{string.Join(",", events)}]"));
        Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        var before = await admin.GetStringAsync("/v1/stores/shop-a/segments");

        var preview = await admin.PostAsync("/v1/stores/shop-a/segments/preview", JsonBody(
            $$"""{"rule": "profile.occupation == \"{{run}}\" and profile.city == \"Lyon\"", "sample": 2}"""));

        Assert.True(preview.StatusCode == HttpStatusCode.OK, await preview.Content.ReadAsStringAsync());
        var body = await preview.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("count").GetInt64());
        Assert.Equal(2, body.GetProperty("sample").GetArrayLength());
        Assert.All(body.GetProperty("sample").EnumerateArray(), id => Assert.StartsWith($"pv-{run}-", id.GetString(), StringComparison.Ordinal));
        Assert.True(body.GetProperty("evaluated").GetInt64() >= 10);
        Assert.Equal(before, await admin.GetStringAsync("/v1/stores/shop-a/segments"));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/v1/stores/shop-a/segments/preview", JsonBody("""{"rule": "orders >"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/v1/stores/shop-a/segments/preview", JsonBody("""{"rule": "orders > 1", "sample": 1000}"""))).StatusCode);
    }

    private static async Task AssertTheStoreAsync(HttpClient client)
    {
        // shop-a is shared with the collection's other tests: the segment counts their repeat buyers too, so the count is
        // the members' list, which holds ana (and not bob).
        var count = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments/repeat-buyers/count");
        Assert.EndsWith("Z", count.GetProperty("asOf").GetString());
        var members = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments/repeat-buyers/members?limit=1000");
        Assert.Equal(JsonValueKind.Null, members.GetProperty("nextCursor").ValueKind);
        Assert.Equal(members.GetProperty("items").GetArrayLength(), count.GetProperty("count").GetInt64());
        var member = Assert.Single(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("customerId").GetString() == "ana");
        Assert.Equal("event:o-2", member.GetProperty("cause").GetString());
        Assert.DoesNotContain(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("customerId").GetString() == "bob");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/stores/shop-a/segments/repeat-buyers/members/ana")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/stores/shop-a/segments/repeat-buyers/members/bob")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/stores/shop-a/segments/spain/members/ana")).StatusCode);

        var ana = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/customers/ana");
        Assert.Equal("ana@example.com", ana.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("running", ana.GetProperty("profile").GetProperty("interests")[0].GetString());
        var traits = ana.GetProperty("traits");
        Assert.Equal(2, traits.GetProperty("orders").GetInt32());
        Assert.Equal(100, traits.GetProperty("revenue").GetDouble());
        Assert.Equal(50, traits.GetProperty("aov").GetDouble());
        Assert.Equal("2026-11-02T09:00:00.000Z", traits.GetProperty("firstOrderAt").GetString());
        Assert.Equal("2026-11-03T10:00:00.000Z", traits.GetProperty("lastOrderAt").GetString());
        Assert.Equal(
            new[] { "repeat-buyers", "spain" },
            ana.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)
                .Where(id => !id.StartsWith("lifecycle-", StringComparison.Ordinal)).ToArray());

        var segment = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments/repeat-buyers");
        Assert.Equal("Repeat buyers", segment.GetProperty("name").GetString());
        Assert.Equal("Two orders or more", segment.GetProperty("description").GetString());
    }
}
