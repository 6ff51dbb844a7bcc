using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>A store fixes its value-tier thresholds and sees its customers classified by them.</summary>
[Collection(ApiCollection.Name)]
public sealed class ClassificationTests(ApiFixture fixture)
{
    [Fact]
    public async Task Fixed_tier_thresholds_classify_customers_and_bad_settings_are_refused()
    {
        using var admin = fixture.Client(AdminB);
        var put = await admin.PutAsync("/v1/stores/shop-b/classification", JsonBody("""{"highFrom": 50, "mediumFrom": 20, "activeDays": 60}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var settings = await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-b/classification");
        Assert.Equal(50, settings.GetProperty("highFrom").GetDouble());
        Assert.Equal(60, settings.GetProperty("activeDays").GetInt32());

        var run = Guid.NewGuid().ToString("N")[..6];
        var orders = new[] { ("x", 60), ("y", 30), ("z", 5) }.Select(o =>
            $$$"""{"id": "{{{run}}}-{{{o.Item1}}}", "customerId": "{{{run}}}-{{{o.Item1}}}", "type": "order_completed", "timestamp": "{{{DateTimeOffset.UtcNow.AddDays(-45):yyyy-MM-dd'T'HH:mm:ss'Z'}}}", "properties": {"revenue": {{{o.Item2}}}}}""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-b/events", JsonBody($"[{string.Join(",", orders)}]"))).StatusCode);

        // Classifications use the store's distributions, re-read by each silo within a couple of seconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var tiers = new List<string?>();
            foreach (var id in new[] { "x", "y", "z" })
            {
                var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-b/customers/{run}-{id}");
                var classification = view.GetProperty("classification");
                tiers.Add(classification.GetProperty("valueTier").GetString());
                Assert.Equal("active", classification.GetProperty("lifecycle").GetString());
            }

            if (tiers.SequenceEqual(["high", "medium", "low"]))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"tiers were {string.Join(", ", tiers)}");
            await Task.Delay(100);
        }

        var bad = await admin.PutAsync("/v1/stores/shop-b/classification", JsonBody("""{"highFrom": 10, "mediumFrom": 20}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("greater than", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync("/v1/stores/shop-b/classification", JsonBody("""{"lapsedDays": "soon"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client(ReaderA).PutAsync("/v1/stores/shop-a/classification", JsonBody("{}"))).StatusCode);
        Assert.Equal(50, (await admin.GetFromJsonAsync<JsonElement>("/v1/stores/shop-b/classification")).GetProperty("highFrom").GetDouble());
    }
}
