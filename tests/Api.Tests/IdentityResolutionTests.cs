using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// Identity resolution from outside: an anonymous visitor who logs in becomes one customer with the known one (through
/// Segment's identify and alias, the native events API, or the merges route), every customer route answers for either
/// id, an unmerge gives both back, and refused merges are clear 4xx that change nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdentityResolutionTests(ApiFixture fixture)
{
    // shop-a is shared by the collection's tests: ids of this run only.
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_Segment_identify_with_the_anonymous_id_merges_the_visitor_and_every_route_answers_for_both_ids()
    {
        var (anon, user) = ($"anon-{_run}", $"user-{_run}");
        using var tracking = BasicAuthClient(AdminA);
        await PostOkAsync(tracking, "/v1/page", $$"""{"messageId": "p-{{_run}}", "anonymousId": "{{anon}}", "name": "Home"}""");
        await PostOkAsync(tracking, "/v1/track", $$"""{"messageId": "t-{{_run}}", "anonymousId": "{{anon}}", "event": "Product Viewed", "properties": {"category": "hats"} }""");

        await PostOkAsync(tracking, "/v1/identify", $$"""{"messageId": "i-{{_run}}", "userId": "{{user}}", "anonymousId": "{{anon}}", "traits": {"email": "kim@example.com"} }""");

        using var admin = fixture.Client(AdminA);
        var byUser = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{user}");
        var byAnon = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{anon}");
        Assert.Equal(user, byAnon.GetProperty("customerId").GetString());
        Assert.Equal([anon], byUser.GetProperty("mergedIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, byUser.GetProperty("traits").GetProperty("events").GetInt32());
        Assert.Equal(byUser.GetProperty("traits").ToString(), byAnon.GetProperty("traits").ToString());
        Assert.Equal("kim@example.com", byAnon.GetProperty("profile").GetProperty("email").GetString());

        var history = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{anon}/history");
        var userHistory = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{user}/history");
        Assert.Equal(userHistory.GetProperty("items").ToString(), history.GetProperty("items").ToString());
        Assert.NotEmpty(history.GetProperty("items").EnumerateArray());
        var export = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{anon}/export");
        Assert.Equal(user, export.GetProperty("customer").GetProperty("customerId").GetString());

        // Later anonymous events reach the known customer.
        await PostOkAsync(tracking, "/v1/track", $$"""{"messageId": "t2-{{_run}}", "anonymousId": "{{anon}}", "event": "Product Viewed", "properties": {"category": "caps"} }""");
        Assert.Equal(4, (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{user}")).GetProperty("traits").GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task An_alias_through_Segment_or_the_events_API_merges_and_an_unmerge_gives_both_back()
    {
        var (first, second, user) = ($"a1-{_run}", $"a2-{_run}", $"u-{_run}");
        using var admin = fixture.Client(AdminA);
        using var tracking = BasicAuthClient(AdminA);
        var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($$"""
            [{"id": "e1-{{_run}}", "customerId": "{{first}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"},
             {"id": "e2-{{_run}}", "customerId": "{{second}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"},
             {"id": "e3-{{_run}}", "customerId": "{{user}}", "type": "order_completed", "timestamp": "2026-11-20T11:00:00Z", "properties": {"revenue": 20} }]
            """));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        await PostOkAsync(tracking, "/v1/alias", $$"""{"messageId": "al-{{_run}}", "userId": "{{user}}", "previousId": "{{first}}"}""");
        var native = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($$"""
            [{"id": "al2-{{_run}}", "customerId": "{{user}}", "type": "alias", "timestamp": "2026-11-20T12:00:00Z", "properties": {"previousId": "{{second}}"} }]
            """));
        Assert.Equal("""{"accepted":1,"duplicates":0}""", await native.Content.ReadAsStringAsync());

        var merged = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{user}");
        Assert.Equal([first, second], merged.GetProperty("mergedIds").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));

        var unmerged = await admin.DeleteAsync($"/v1/stores/shop-a/customers/{user}/merges/{first}");

        Assert.Equal(HttpStatusCode.OK, unmerged.StatusCode);
        var body = await unmerged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((user, second), (body.GetProperty("customerId").GetString(), body.GetProperty("mergedIds").EnumerateArray().Single().GetString()));
        var back = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{first}");
        Assert.Equal((first, 1), (back.GetProperty("customerId").GetString(), back.GetProperty("traits").GetProperty("events").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/stores/shop-a/customers/{user}/merges/{first}")).StatusCode);
        using var reader = fixture.Client(ReaderA);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"/v1/stores/shop-a/customers/{user}/merges/{second}")).StatusCode);
    }

    [Fact]
    public async Task Refused_merges_are_clear_4xx_that_change_nothing()
    {
        var (a, b, c) = ($"ra-{_run}", $"rb-{_run}", $"rc-{_run}");
        using var admin = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($$"""
            [{"id": "r1-{{_run}}", "customerId": "{{a}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}, {"id": "r2-{{_run}}", "customerId": "{{b}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"},
             {"id": "r3-{{_run}}", "customerId": "{{c}}", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}, {"id": "r4-{{_run}}", "customerId": "undefined", "type": "visit", "timestamp": "2026-11-20T10:00:00Z"}]
            """))).StatusCode);
        var ok = await admin.PostAsync($"/v1/stores/shop-a/customers/{a}/merges", JsonBody($$"""{"secondaryId": "{{b}}"}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal($$"""{"customerId":"{{a}}","mergedIds":["{{b}}"]}""", await ok.Content.ReadAsStringAsync());
        var before = await Snapshot(admin, a, b, c);

        await AssertRefusedAsync(admin, c, c, HttpStatusCode.BadRequest, "itself");
        await AssertRefusedAsync(admin, c, "undefined", HttpStatusCode.BadRequest, "blocked");
        await AssertRefusedAsync(admin, c, $"nobody-{_run}", HttpStatusCode.NotFound, "no customer");
        await AssertRefusedAsync(admin, $"nobody-{_run}", c, HttpStatusCode.NotFound, "no customer");
        await AssertRefusedAsync(admin, b, a, HttpStatusCode.Conflict, "cycle");
        await AssertRefusedAsync(admin, c, b, HttpStatusCode.Conflict, "merged into another");
        var malformed = await admin.PostAsync($"/v1/stores/shop-a/customers/{c}/merges", JsonBody("""{"secondary": 3}"""));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("secondaryId", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(before, await Snapshot(admin, a, b, c));
    }

    [Fact]
    public async Task Two_sign_ups_with_one_e_mail_become_one_customer_and_a_store_chooses_its_matching_traits()
    {
        var (web, app, phoned, again) = ($"web-{_run}", $"app-{_run}", $"ph-{_run}", $"ph2-{_run}");
        using var admin = fixture.Client(AdminA);
        using var tracking = BasicAuthClient(AdminA);
        await PostOkAsync(tracking, "/v1/identify", $$"""{"messageId": "s1-{{_run}}", "userId": "{{web}}", "traits": {"email": " Lee.{{_run}}@Example.com"} }""");
        await PostOkAsync(tracking, "/v1/identify", $$"""{"messageId": "s2-{{_run}}", "userId": "{{app}}", "traits": {"email": "lee.{{_run}}@example.com"} }""");

        var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{app}");
        Assert.Equal(web, view.GetProperty("customerId").GetString());
        Assert.Equal([app], view.GetProperty("mergedIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("""{"matchTraits":["email"]}""", await admin.GetStringAsync("/v1/stores/shop-a/identity"));

        // shop-b matches on phones too (the collection's tests run one at a time; it is set back at the end).
        using var adminB = fixture.Client(AdminB);
        var bad = await adminB.PutAsync("/v1/stores/shop-b/identity", JsonBody("""{"matchTraits": ["email", "name"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'name' cannot be matched", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await adminB.PutAsync("/v1/stores/shop-b/identity", JsonBody("""{"matchTrait": ["email"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client(ReaderA).PutAsync("/v1/stores/shop-a/identity", JsonBody("""{"matchTraits": []}"""))).StatusCode);
        Assert.Equal("""{"matchTraits":["email"]}""", await adminB.GetStringAsync("/v1/stores/shop-b/identity"));
        try
        {
            var set = await adminB.PutAsync("/v1/stores/shop-b/identity", JsonBody("""{"matchTraits": ["email", "phone"]}"""));
            Assert.Equal("""{"matchTraits":["email","phone"]}""", await set.Content.ReadAsStringAsync());
            var posted = await adminB.PostAsync("/v1/stores/shop-b/events", JsonBody($$"""
                [{"id": "p1-{{_run}}", "customerId": "{{phoned}}", "type": "identify", "timestamp": "2026-11-20T10:00:00Z", "properties": {"phone": "+44 20 7946 0318"} },
                 {"id": "p2-{{_run}}", "customerId": "{{again}}", "type": "identify", "timestamp": "2026-11-20T11:00:00Z", "properties": {"phone": "+442079460318"} }]
                """));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            // Two customers in one request are recorded side by side: whichever committed first holds the phone.
            var views = new[] { await adminB.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-b/customers/{phoned}"), await adminB.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-b/customers/{again}") };
            var primary = Assert.Single(views.Select(v => v.GetProperty("customerId").GetString()).Distinct());
            Assert.Equal([phoned == primary ? again : phoned], views[0].GetProperty("mergedIds").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            await adminB.PutAsync("/v1/stores/shop-b/identity", JsonBody("""{"matchTraits": ["email"]}"""));
        }
    }

    private async Task AssertRefusedAsync(HttpClient admin, string primary, string secondary, HttpStatusCode status, string reason)
    {
        var response = await admin.PostAsync($"/v1/stores/shop-a/customers/{primary}/merges", JsonBody($$"""{"secondaryId": "{{secondary}}"}"""));
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> Snapshot(HttpClient admin, params string[] ids)
    {
        var views = new List<string>();
        foreach (var id in ids)
        {
            var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{id}");
            views.Add($"{view.GetProperty("customerId")} {view.GetProperty("mergedIds")} {view.GetProperty("traits").GetProperty("events")}");
        }

        return string.Join(" | ", views);
    }

    private static async Task PostOkAsync(HttpClient client, string path, string json)
    {
        var response = await client.PostAsync(path, JsonBody(json));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private HttpClient BasicAuthClient(string writeKey)
    {
        var client = fixture.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{writeKey}:")));
        return client;
    }
}
