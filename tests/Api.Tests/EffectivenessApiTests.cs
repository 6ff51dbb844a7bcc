using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>Segment holdouts, stats and flows over real HTTP: the shapes a client reads, and refusals that change nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class EffectivenessApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_segment_with_a_holdout_shows_it_marks_its_control_members_and_has_stats_and_flows()
    {
        using var admin = fixture.Client(AdminA);
        using var reader = fixture.Client(ReaderA);
        var run = Guid.NewGuid().ToString("N")[..8];
        var (low, high) = ($"low-{run}", $"high-{run}");

        // Revenue bands of this run's own (the store is shared with other tests, whose customers a backfill would take in).
        var band = 100_000 + (Random.Shared.Next(1, 100_000) * 100);
        var created = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{low}}", "rule": "revenue > {{band}} and revenue < {{band + 50}}", "holdout": 50}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(50, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdout").GetInt32());
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{high}}", "rule": "revenue >= {{band + 50}} and revenue < {{band + 100}}"}"""))).StatusCode);
        Assert.Equal(50, (await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{low}")).GetProperty("holdout").GetInt32());

        // Twenty customers enter low; then ann moves up to high.
        var customers = Enumerable.Range(0, 20).Select(i => $"c{i}-{run}").Append($"ann-{run}").ToList();
        await PostAsync(admin, string.Join(", ", customers.Select((c, i) => Order($"o{i}-{run}", c, band + 20))));
        var between = DateTimeOffset.UtcNow;
        await PostAsync(admin, Order($"o-up-{run}", $"ann-{run}", 40));

        var stats = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{low}/stats");
        Assert.Equal(["segment", "version", "holdout", "from", "to", "interval", "asOf", "intervals", "conversion"], stats.EnumerateObject().Select(p => p.Name));
        Assert.Equal((low, 1L, 50, "day"), (stats.GetProperty("segment").GetString(), stats.GetProperty("version").GetInt64(), stats.GetProperty("holdout").GetInt32(), stats.GetProperty("interval").GetString()));
        var intervals = stats.GetProperty("intervals").EnumerateArray().ToList();
        Assert.Equal(7, intervals.Count);
        Assert.Equal(["start", "end", "size", "entered", "exited", "orders", "purchaseDays", "revenue"], intervals[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal((20L, 21L, 1L), (intervals[^1].GetProperty("size").GetInt64(), intervals.Sum(i => i.GetProperty("entered").GetInt64()), intervals.Sum(i => i.GetProperty("exited").GetInt64())));
        var conversion = stats.GetProperty("conversion");
        Assert.Equal(["windowDays", "treated", "holdout", "difference", "lift"], conversion.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["entered", "converted", "windowOpen", "rate", "low", "high"], conversion.GetProperty("treated").EnumerateObject().Select(p => p.Name));
        var (treated, holdout) = (conversion.GetProperty("treated"), conversion.GetProperty("holdout"));
        Assert.Equal(21, treated.GetProperty("entered").GetInt64() + holdout.GetProperty("entered").GetInt64());
        Assert.Equal(21, treated.GetProperty("windowOpen").GetInt64() + holdout.GetProperty("windowOpen").GetInt64());
        // ann ordered again after entering (the order that moved her up): the one conversion; the others' orders made them enter.
        Assert.Equal(1, treated.GetProperty("converted").GetInt64() + holdout.GetProperty("converted").GetInt64());

        // The control members are those the feed and the customer view mark.
        var changes = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?segment={low}&limit=100");
        var control = changes.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("kind").GetString() == "entered" && i.GetProperty("holdout").GetBoolean())
            .Select(i => i.GetProperty("customerId").GetString()).ToHashSet();
        Assert.Equal(holdout.GetProperty("entered").GetInt64(), control.Count);
        Assert.InRange(control.Count, 1, 20);
        foreach (var customer in customers.Take(5))
        {
            var segment = (await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{customer}")).GetProperty("segments").EnumerateArray().Single(s => s.GetProperty("id").GetString() == low);
            Assert.Equal(control.Contains(customer), segment.GetProperty("holdout").GetBoolean());
        }

        var hourly = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{low}/stats?interval=hour&window=3");
        Assert.Equal((24, 3), (hourly.GetProperty("intervals").GetArrayLength(), hourly.GetProperty("conversion").GetProperty("windowDays").GetInt32()));
        Assert.All(hourly.GetProperty("intervals").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("purchaseDays").ValueKind));
        Assert.All(hourly.GetProperty("intervals").EnumerateArray(), i => Assert.Equal(JsonValueKind.Number, i.GetProperty("orders").ValueKind));

        var from = Uri.EscapeDataString(between.ToString("O", CultureInfo.InvariantCulture));
        var flows = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/flows?segments={low},{high}&from={from}");
        Assert.Equal(["from", "to", "asOf", "segments", "flows"], flows.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            [(low, high, 1L), (high, low, 0L)],
            flows.GetProperty("flows").EnumerateArray().Select(f => (f.GetProperty("from").GetString(), f.GetProperty("to").GetString(), f.GetProperty("customers").GetInt64())));
    }

    [Theory]
    [InlineData("60")]
    [InlineData("-1")]
    [InlineData("12.5")]
    [InlineData("\"10\"")]
    public async Task A_holdout_out_of_range_or_not_a_whole_number_is_400_naming_it_and_saves_nothing(string holdout)
    {
        using var admin = fixture.Client(AdminA);
        var id = $"h-{Guid.NewGuid():N}"[..12];

        var response = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{id}}", "rule": "orders >= 1", "holdout": {{holdout}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("holdout", Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/segments/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{id}}", "rule": "orders >= 1", "holdout": 10}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsync($"/v1/stores/shop-a/segments/{id}", JsonBody($$"""{"rule": "orders >= 2", "holdout": {{holdout}}}"""))).StatusCode);
        var kept = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{id}");
        Assert.Equal((10, 1L, "orders >= 1"), (kept.GetProperty("holdout").GetInt32(), kept.GetProperty("version").GetInt64(), kept.GetProperty("rule").GetString()));
    }

    [Theory]
    [InlineData("interval=week", "interval")]
    [InlineData("interval=minute&from=2020-01-01T00:00:00Z", "from")]
    [InlineData("window=0", "window")]
    [InlineData("window=91", "window")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2099-01-01", "from")]
    [InlineData("from=RECENT&to=OLDER", "from")]
    [InlineData("from=LONG_AGO", "from")]
    [InlineData("interval=minute&from=RECENT", "interval")]
    public async Task A_bad_stats_query_is_400_naming_the_field(string query, string field)
    {
        using var reader = fixture.Client(ReaderA);
        await ProbesAsync();
        query = query
            .Replace("RECENT", Format(DateTimeOffset.UtcNow.AddDays(-2)), StringComparison.Ordinal)
            .Replace("OLDER", Format(DateTimeOffset.UtcNow.AddDays(-3)), StringComparison.Ordinal)
            .Replace("LONG_AGO", Format(DateTimeOffset.UtcNow.AddDays(-30)), StringComparison.Ordinal);

        var response = await reader.GetAsync($"/v1/stores/shop-a/segments/probe-a/stats?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("", "segments")]
    [InlineData("segments=probe-a", "segments")]
    [InlineData("segments=probe-a,probe-a", "segments")]
    [InlineData("segments=probe-a,Not%20an%20id", "segments")]
    [InlineData("segments=probe-a,probe-b&from=LONG_AGO", "from")]
    [InlineData("segments=probe-a,probe-b&from=2099-01-01", "from")]
    public async Task A_bad_flows_query_is_400_naming_the_field(string query, string field)
    {
        using var reader = fixture.Client(ReaderA);
        await ProbesAsync();

        var response = await reader.GetAsync($"/v1/stores/shop-a/flows?{query.Replace("LONG_AGO", Format(DateTimeOffset.UtcNow.AddDays(-30)), StringComparison.Ordinal)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Unknown_segments_are_404_and_another_stores_stats_are_403()
    {
        using var reader = fixture.Client(ReaderA);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/v1/stores/shop-a/segments/no-such-segment/stats")).StatusCode);
        await ProbesAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/v1/stores/shop-a/flows?segments=probe-a,no-such-segment")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/stores/shop-b/segments/probe-a/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/stores/shop-b/flows?segments=probe-a,probe-b")).StatusCode);
    }

    /// <summary>Two segments the refusals name (created once; a second create is a 409).</summary>
    private async Task ProbesAsync()
    {
        using var admin = fixture.Client(AdminA);
        foreach (var id in new[] { "probe-a", "probe-b" })
        {
            var created = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{id}}", "rule": "orders >= 1"}"""));
            Assert.Contains(created.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
        }
    }

    private static string Order(string id, string customer, int revenue) =>
        $$$"""{"id": "{{{id}}}", "customerId": "{{{customer}}}", "type": "order_completed", "timestamp": "{{{DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}}}", "properties": {"revenue": {{{revenue}}}, "orderId": "{{{id}}}"}}""";

    private static string Format(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));

    private static async Task PostAsync(HttpClient admin, string events) =>
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{events}]"))).StatusCode);
}
