using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// The published check of the purchase models, from outside: the CDNOW sample (Fader, Hardie &amp; Lee 2005) fed through
/// the API as orders, fitted through the API, gives the paper's parameters; customers then carry their predictions and
/// rules on them work. Its own Api: the fit is per store, and this store's population must be the sample alone.
/// </summary>
[Collection(OwnApiCollection.Name)]
public sealed class PotentialApiTests : IAsyncLifetime
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), $"cg-potential-{Guid.NewGuid():N}");
    private HostProcess _api = null!;

    public async Task InitializeAsync()
    {
        _api = new HostProcess(_dataPath, Keys);
        await _api.StartAsync();
    }

    [Fact]
    public async Task The_CDNOW_sample_fed_as_orders_gives_the_published_BG_NBD_and_Gamma_Gamma_fits_and_customers_their_predictions()
    {
        using var admin = _api.Client(AdminA);

        // Before any data: no fit, and a fit reports too little data instead of parameters.
        var none = await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/models");
        Assert.Equal(JsonValueKind.Null, none.GetProperty("latest").ValueKind);
        var empty = await FitAsync(admin, """{"asOf": "1997-09-30", "timeUnit": "week"}""");
        Assert.Equal("too_little_data", empty.GetProperty("status").GetString());
        Assert.False(empty.GetProperty("inUse").GetBoolean());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("bgNbd").GetProperty("r").ValueKind);

        // Every purchase of the sample, one order_completed event each, as a store would send them.
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Find(), "tests", "Grains.Tests", "Prediction", "Data", "cdnow_sample.txt"))
            .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 5)
            .ToList();
        Assert.Equal(6919, lines.Count);
        foreach (var batch in lines.Select((fields, i) => (fields, i)).Chunk(500))
        {
            var events = batch.Select(e =>
            {
                var day = DateTime.ParseExact(e.fields[2], "yyyyMMdd", CultureInfo.InvariantCulture);
                var dollars = double.Parse(e.fields[4], CultureInfo.InvariantCulture);
                return $$$"""{"id": "line-{{{e.i}}}", "customerId": "cd-{{{e.fields[0]}}}", "type": "order_completed", "timestamp": "{{{day:yyyy-MM-dd}}}T00:00:00Z", "properties": {"revenue": {{{dollars.ToString(CultureInfo.InvariantCulture)}}}, "orderId": "line-{{{e.i}}}"}}""";
            });
            var response = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{string.Join(",", events)}]"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var fit = await FitAsync(admin, """{"asOf": "1997-09-30", "timeUnit": "week"}""");
        Assert.Equal("converged", fit.GetProperty("status").GetString());
        Assert.True(fit.GetProperty("inUse").GetBoolean());
        Assert.Equal("week", fit.GetProperty("timeUnit").GetString());
        Assert.Equal(2357, fit.GetProperty("customers").GetInt32());
        var bgNbd = fit.GetProperty("bgNbd");
        AssertWithin(0.243, bgNbd.GetProperty("r").GetDouble(), 0.01);
        AssertWithin(4.414, bgNbd.GetProperty("alpha").GetDouble(), 0.01);
        AssertWithin(0.793, bgNbd.GetProperty("a").GetDouble(), 0.01);
        AssertWithin(2.426, bgNbd.GetProperty("b").GetDouble(), 0.01);
        Assert.InRange(bgNbd.GetProperty("logLikelihood").GetDouble(), -9583.4, -9581.4);
        var gammaGamma = fit.GetProperty("gammaGamma");
        Assert.Equal("converged", gammaGamma.GetProperty("status").GetString());
        Assert.Equal(946, gammaGamma.GetProperty("customers").GetInt32());
        AssertWithin(6.25, gammaGamma.GetProperty("p").GetDouble(), 0.01);
        AssertWithin(3.74, gammaGamma.GetProperty("q").GetDouble(), 0.01);
        AssertWithin(15.44, gammaGamma.GetProperty("gamma").GetDouble(), 0.01);
        var potential = fit.GetProperty("potential");
        Assert.True(potential.GetProperty("highFrom").GetDouble() >= potential.GetProperty("mediumFrom").GetDouble());

        // The fit is what GET shows.
        var models = await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/models");
        Assert.Equal(bgNbd.GetProperty("r").GetDouble(), models.GetProperty("latest").GetProperty("bgNbd").GetProperty("r").GetDouble());

        // Customers carry their predictions as soon as the fit has answered: every silo dropped its copy of the store's
        // population (today is decades after the sample: every repeat buyer has long been silent).
        var classification = (await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/customers/cd-00004")).GetProperty("classification");
        Assert.NotEqual(JsonValueKind.Null, classification.GetProperty("prediction").ValueKind);

        var prediction = classification.GetProperty("prediction");
        Assert.InRange(prediction.GetProperty("pAlive").GetDouble(), 0, 0.5);
        Assert.True(prediction.GetProperty("expectedSpend").GetDouble() > 0);
        Assert.True(prediction.GetProperty("clv").GetDouble() >= 0);
        Assert.Contains(classification.GetProperty("potential").GetString(), new[] { "high", "medium", "low" });
        Assert.NotNull(classification.GetProperty("valuePotential").GetString());

        // A rule on the predictions, through the segment API: its members are exactly the views that satisfy it.
        var create = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody("""{"id": "lost-big-spenders", "name": "Lost big spenders", "rule": "p_alive < 0.3 and revenue >= 500"}"""));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var count = await WaitForBackfilledCountAsync(admin, "lost-big-spenders");
        var expected = 0;
        foreach (var customer in lines.Select(f => f[0]).Distinct())
        {
            var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/cd-{customer}");
            var revenue = view.GetProperty("traits").GetProperty("revenue").GetDouble();
            var alive = view.GetProperty("classification").GetProperty("prediction").GetProperty("pAlive").GetDouble();
            expected += alive < 0.3 && revenue >= 500 ? 1 : 0;
        }

        Assert.True(expected > 0, "no customer satisfies the rule: the check would prove nothing");
        Assert.Equal(expected, count);
    }

    [Fact]
    public async Task Bad_fit_requests_are_refused_with_a_clear_400_and_readers_cannot_fit()
    {
        using var admin = _api.Client(AdminA);
        foreach (var body in new[] { """{"timeUnit": "month"}""", """{"asOf": "yesterday"}""", """{"horizon": 3}""", "[1]", "{" })
        {
            var response = await admin.PostAsync("/v1/stores/shop-a/models/fit", JsonBody(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var reader = _api.Client(ReaderA);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/v1/stores/shop-a/models/fit", JsonBody("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/v1/stores/shop-a/models")).StatusCode);
        var rule = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody("""{"id": "bad", "name": "Bad", "rule": "expected_orders(0d) > 1"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, rule.StatusCode);
    }

    [Fact]
    public async Task Lookalike_and_ranking_routes_answer_mistakes_with_a_clear_4xx_and_change_nothing()
    {
        using var admin = _api.Client(AdminA);
        var run = Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody(
            $$$"""[{"id": "{{{run}}}-1", "customerId": "{{{run}}}-a", "type": "order_completed", "timestamp": "2026-11-01T10:00:00Z", "properties": {"revenue": 120}}, {"id": "{{{run}}}-2", "customerId": "{{{run}}}-b", "type": "order_completed", "timestamp": "2026-11-02T10:00:00Z", "properties": {"revenue": 80}}]"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$$"""{"id": "big-{{{run}}}", "rule": "revenue >= 100"}"""))).StatusCode);

        // Lookalikes: each mistake is a 400 naming the field, and nothing is created.
        foreach (var (body, field) in new[]
        {
            ("""{"seed": "big", "population": "orders == 0"}""", "id"),
            ($$$"""{"id": "x-{{{run}}}", "seed": "no-such-segment", "population": "orders == 0"}""", "seed"),
            ($$$"""{"id": "x-{{{run}}}", "seed": "big-{{{run}}}", "population": "orders =="}""", "population"),
            ($$$"""{"id": "x-{{{run}}}", "seed": "big-{{{run}}}", "population": "orders == 0", "features": ["shoe_size"]}""", "features"),
            ($$$"""{"id": "x-{{{run}}}", "seed": "big-{{{run}}}", "population": "orders == 0", "colour": 1}""", "colour"),
        })
        {
            var refused = await admin.PostAsync("/v1/stores/shop-a/lookalikes", JsonBody(body));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(field, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/lookalikes/x-{run}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/v1/stores/shop-a/lookalikes/x-{run}/train", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/stores/shop-a/lookalikes/x-{run}")).StatusCode);
        var missing = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$$"""{"id": "twins-{{{run}}}", "rule": "lookalike(\"x-{{{run}}}\") >= 0.7"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains($"x-{run}", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Too few seed members is a status, not an error: the model exists, untrained, and says why.
        var few = await admin.PostAsync("/v1/stores/shop-a/lookalikes", JsonBody($$$"""{"id": "few-{{{run}}}", "seed": "big-{{{run}}}", "population": "orders == 0"}"""));
        Assert.Equal(HttpStatusCode.Created, few.StatusCode);
        var info = await few.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("too_few_examples", info.GetProperty("status").GetString());
        Assert.Empty(info.GetProperty("variables").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/stores/shop-a/lookalikes/few-{run}")).StatusCode);

        // Rankings: bad parameters are 400s, an unknown segment 404; revenue needs no model.
        foreach (var query in new[] { "by=height", "order=up", "limit=0", "limit=1001", "cursor=%21%21", "by=lookalike:nope", "segment=Bad%20Id" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/v1/stores/shop-a/rankings?{query}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/stores/shop-a/rankings?segment=no-such-segment")).StatusCode);
        var top = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/rankings?by=revenue&segment=big-{run}");
        Assert.Equal([$"{run}-a"], top.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("customerId").GetString()));

        // Paging: one at a time, the cursor leads to the next and the last page has none.
        var first = await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/rankings?by=orders&order=asc&limit=1");
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var second = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/rankings?by=orders&order=asc&limit=1&cursor={cursor}");
        Assert.NotEqual(
            first.GetProperty("items")[0].GetProperty("customerId").GetString(),
            second.GetProperty("items")[0].GetProperty("customerId").GetString());
    }

    private static async Task<JsonElement> FitAsync(HttpClient admin, string body)
    {
        var response = await admin.PostAsync("/v1/stores/shop-a/models/fit", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<long> WaitForBackfilledCountAsync(HttpClient admin, string segment)
    {
        var limit = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var info = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}");
            if (info.GetProperty("status").GetString() == "ready")
            {
                return (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}/count")).GetProperty("count").GetInt64();
            }

            Assert.True(DateTime.UtcNow < limit, $"the backfill of {segment} did not complete");
            await Task.Delay(50);
        }
    }

    private static void AssertWithin(double expected, double actual, double share) =>
        Assert.True(Math.Abs(actual - expected) <= share * Math.Abs(expected), $"{actual} is not within {share:P0} of {expected}");

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        HostProcess.DeleteData(_dataPath);
    }
}
