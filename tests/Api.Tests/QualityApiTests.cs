using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// The data-quality routes over real HTTP: the report, each check's pages with their fields, the key traits, a rebuild,
/// and every bad query a clear 4xx. The store is shared with other tests: each assertion is about this run's customers.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class QualityApiTests(ApiFixture fixture)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task The_report_and_its_pages_find_this_runs_dirty_customers_and_bad_queries_are_4xx()
    {
        using var admin = fixture.Client(AdminA);
        using var reader = fixture.Client(ReaderA);
        var (dirty, one, two, full) = ($"q-{_tag}-dirty", $"q-{_tag}-one", $"q-{_tag}-two", $"q-{_tag}-full");
        var old = DateTimeOffset.UtcNow.AddDays(-500).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);

        // Two sign-ups with one phone, written two ways (shop-a merges by e-mail, not by phone: they stay two customers).
        var phone = Random.Shared.Next(1000).ToString("D3", CultureInfo.InvariantCulture);
        var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($$$"""
            [{"id": "d-{{{_tag}}}", "customerId": "{{{dirty}}}", "type": "identify", "timestamp": "{{{old}}}",
              "properties": {"email": "nope", "phone": "+34 612 34 56 78", "country": "FR", "birthDate": "1990-02-30"}},
             {"id": "o-{{{_tag}}}", "customerId": "{{{one}}}", "type": "identify", "timestamp": "{{{now}}}", "properties": {"phone": "+34 699 123 {{{phone}}}"}},
             {"id": "t-{{{_tag}}}", "customerId": "{{{two}}}", "type": "identify", "timestamp": "{{{now}}}", "properties": {"phone": "+34699123{{{phone}}}"}},
             {"id": "f-{{{_tag}}}", "customerId": "{{{full}}}", "type": "identify", "timestamp": "{{{now}}}",
              "properties": {"email": "full-{{{_tag}}}@example.com", "firstName": "Ana", "lastName": "García", "country": "ES"}}]
            """));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        // Reported within a moment of the commit, not on request.
        var duplicates = await WebhookScenario.EventuallyAsync(
            () => OwnAsync(reader, "duplicates?field=phone"), d => d.Count == 2, "both sign-ups with one phone reported as duplicates");
        Assert.All(duplicates.Values, d => Assert.Equal(
            [("phone", 2, string.Join(',', new[] { one, two }.Order(StringComparer.Ordinal)))],
            d.GetProperty("duplicates").EnumerateArray().Select(g => (g.GetProperty("field").GetString(), g.GetProperty("size").GetInt32(), string.Join(',', g.GetProperty("customerIds").EnumerateArray().Select(i => i.GetString()))))));

        var invalid = await WebhookScenario.EventuallyAsync(() => OwnAsync(reader, "invalid"), d => d.Count == 1, "the dirty customer's invalid values");
        Assert.Equal(
            [("birthDate", "not a date 'yyyy-MM-dd'"), ("email", "not an e-mail address: it needs exactly one '@'")],
            invalid[dirty].GetProperty("invalid").EnumerateArray().Select(f => (f.GetProperty("field").GetString(), f.GetProperty("reason").GetString())));
        Assert.Equal([dirty], (await OwnAsync(reader, "invalid?field=birthDate")).Keys);
        Assert.Equal([dirty, one, two], (await OwnAsync(reader, "missing?field=email")).Keys.Order(StringComparer.Ordinal));
        Assert.Equal([dirty, one, two], (await OwnAsync(reader, "missing")).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            "phoneCountry: the phone's calling code +34 is ES; the country is FR",
            Assert.Single((await OwnAsync(reader, "contradictions?field=phoneCountry"))[dirty].GetProperty("contradictions").EnumerateArray()) is var c
                ? $"{c.GetProperty("kind").GetString()}: {c.GetProperty("detail").GetString()}"
                : null);
        var obsolete = await OwnAsync(reader, "obsolete?inactiveDays=400");
        Assert.Equal([dirty], obsolete.Keys);
        Assert.Equal(DateTimeOffset.Parse(old, CultureInfo.InvariantCulture), obsolete[dirty].GetProperty("lastActivityAt").GetDateTimeOffset());

        // Pages by any size tell the same customers, in id order.
        var small = await AllAsync(reader, "missing", 3);
        Assert.Equal(small, await AllAsync(reader, "missing", 1000));
        Assert.Equal(small.Order(StringComparer.Ordinal), small);

        var summary = await reader.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/quality?inactiveDays=400");
        Assert.Equal(400, summary.GetProperty("obsolete").GetProperty("inactiveDays").GetInt32());
        Assert.True(summary.GetProperty("obsolete").GetProperty("count").GetInt64() >= 1);
        Assert.True(summary.GetProperty("duplicates").GetProperty("fields").GetProperty("phone").GetProperty("groups").GetInt64() >= 1);
        Assert.True(summary.GetProperty("invalid").GetProperty("fields").GetProperty("birthDate").GetProperty("count").GetInt64() >= 1);
        Assert.Equal(["email", "firstName", "lastName", "country"], summary.GetProperty("keyTraits").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["email", "firstName", "lastName", "country"], summary.GetProperty("missing").GetProperty("fields").EnumerateObject().Select(f => f.Name));

        // Bad queries.
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/nonsense"), HttpStatusCode.NotFound, "the checks are missing, invalid, duplicates, obsolete, contradictions");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/invalid?field=nickname"), HttpStatusCode.BadRequest, "email, phone, country, birthDate");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/missing?field=city"), HttpStatusCode.BadRequest, "email, firstName, lastName, country");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/obsolete?field=email"), HttpStatusCode.BadRequest, "no fields");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/missing?limit=0"), HttpStatusCode.BadRequest, "limit");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/missing?limit=1001"), HttpStatusCode.BadRequest, "limit");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/missing?limit=ten"), HttpStatusCode.BadRequest, "limit");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality?inactiveDays=0"), HttpStatusCode.BadRequest, "inactiveDays");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/obsolete?inactiveDays=a%20year"), HttpStatusCode.BadRequest, "inactiveDays");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/invalid?inactiveDays=30"), HttpStatusCode.BadRequest, "obsolete check only");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/invalid?after=%21%21"), HttpStatusCode.BadRequest, "after");
        await AssertProblemAsync(reader.GetAsync("/v1/stores/shop-a/quality/obsolete?after=YWJj"), HttpStatusCode.BadRequest, "position");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsync("/v1/stores/shop-a/quality/settings", JsonBody("""{"keyTraits": ["email"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/v1/stores/shop-a/quality/rebuild", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/v1/stores/shop-b/quality")).StatusCode);
    }

    [Fact]
    public async Task Key_traits_are_a_setting_of_the_store_and_a_rebuild_runs_in_the_background()
    {
        using var admin = fixture.Client(AdminA);
        var customer = $"q-{_tag}-nocity";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($$$"""
            [{"id": "n-{{{_tag}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "{{{DateTimeOffset.UtcNow.AddMinutes(-1):O}}}",
              "properties": {"email": "nocity-{{{_tag}}}@example.com", "firstName": "Bo", "lastName": "Li", "country": "GB"}}]
            """))).StatusCode);

        await AssertProblemAsync(admin.PutAsync("/v1/stores/shop-a/quality/settings", JsonBody("""{"keyTraits": ["email", "nickname"]}""")), HttpStatusCode.BadRequest, "'nickname' is not a known profile trait");
        await AssertProblemAsync(admin.PutAsync("/v1/stores/shop-a/quality/settings", JsonBody("""{"keyTraits": "email"}""")), HttpStatusCode.BadRequest, "list of trait names");
        await AssertProblemAsync(admin.PutAsync("/v1/stores/shop-a/quality/settings", JsonBody("""{"keyTraits": ["email", "email"]}""")), HttpStatusCode.BadRequest, "twice");
        await AssertProblemAsync(admin.PutAsync("/v1/stores/shop-a/quality/settings", JsonBody("""{"keyTraits": [], "traits": []}""")), HttpStatusCode.BadRequest, "unknown field");
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/v1/stores/shop-a/quality/settings", JsonBody("""{"keyTraits": ["email", "city"]}"""))).StatusCode);
            Assert.Equal(["email", "city"], (await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/quality/settings")).GetProperty("keyTraits").EnumerateArray().Select(t => t.GetString()));
            var lacking = await WebhookScenario.EventuallyAsync(() => OwnAsync(admin, "missing?field=city"), d => d.ContainsKey(customer), "a customer without a city");
            Assert.Equal(["city"], lacking[customer].GetProperty("missing").EnumerateArray().Select(t => t.GetString()));
            await AssertProblemAsync(admin.GetAsync("/v1/stores/shop-a/quality/missing?field=country"), HttpStatusCode.BadRequest, "email, city");

            var started = await admin.PostAsync("/v1/stores/shop-a/quality/rebuild", null);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            Assert.True((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("running").GetBoolean());
            var done = await WebhookScenario.EventuallyAsync(
                () => admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/quality"),
                s => !s.GetProperty("rebuild").GetProperty("running").GetBoolean() && s.GetProperty("rebuild").GetProperty("finishedAt").ValueKind != JsonValueKind.Null,
                "the rebuild to finish");
            Assert.True(done.GetProperty("rebuild").GetProperty("customers").GetInt64() >= 1);
            Assert.Contains(customer, (await OwnAsync(admin, "missing?field=city")).Keys);
        }
        finally
        {
            await admin.PutAsync("/v1/stores/shop-a/quality/settings", JsonBody("""{"keyTraits": ["email", "firstName", "lastName", "country"]}"""));
        }
    }

    /// <summary>This run's customers on every page of a check, by id.</summary>
    private async Task<Dictionary<string, JsonElement>> OwnAsync(HttpClient client, string query)
    {
        var own = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var (check, filter) = query.IndexOf('?') is >= 0 and var q ? (query[..q], "&" + query[(q + 1)..]) : (query, "");
        string? next = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/quality/{check}?limit=1000{filter}{(next is null ? "" : $"&after={next}")}");
            foreach (var item in page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("customerId").GetString()!.StartsWith($"q-{_tag}-", StringComparison.Ordinal)))
            {
                own[item.GetProperty("customerId").GetString()!] = item.Clone();
            }

            next = page.GetProperty("next").GetString();
        }
        while (next is not null);

        return own;
    }

    private static async Task<List<string>> AllAsync(HttpClient client, string check, int limit)
    {
        var all = new List<string>();
        string? next = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/quality/{check}?limit={limit}{(next is null ? "" : $"&after={next}")}");
            Assert.True(page.GetProperty("items").GetArrayLength() <= limit);
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("customerId").GetString()!));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);

        return all;
    }

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> request, HttpStatusCode status, string detail)
    {
        var response = await request;
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
