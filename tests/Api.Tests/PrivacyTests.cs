using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>Right of access (export) and erasure's suppression, over real HTTP as the README documents them.</summary>
[Collection(ApiCollection.Name)]
public sealed class PrivacyTests(ApiFixture fixture)
{
    [Fact]
    public async Task An_export_holds_the_profile_the_events_the_totals_and_the_membership_history()
    {
        using var admin = fixture.Client(AdminA);
        using var reader = fixture.Client(ReaderA);
        var run = Guid.NewGuid().ToString("N")[..8];
        var customer = $"eve-{run}";
        var segment = $"buyers-{run}";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody(
            $$"""{"id": "{{segment}}", "name": "Buyers", "rule": "orders >= 1"}"""))).StatusCode);
        var at = DateTimeOffset.UtcNow.AddHours(-2).ToString("O", CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($$$"""
            [{"id": "i-{{{run}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "{{{at}}}", "properties": {"firstName": "Eve", "city": "Lyon"}},
             {"id": "o-{{{run}}}", "customerId": "{{{customer}}}", "type": "order_completed", "timestamp": "{{{later}}}", "properties": {"orderId": "A-1", "revenue": 42.5}}]
            """))).StatusCode);

        // Admin only: a read key may see the customer, not take everything held about them.
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/v1/stores/shop-a/customers/{customer}/export")).StatusCode);
        var export = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{customer}/export");

        Assert.Equal(customer, export.GetProperty("customer").GetProperty("customerId").GetString());
        var fields = export.GetProperty("profileFields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        Assert.Equal("Eve", fields["firstName"].GetProperty("value").GetString());
        Assert.Equal($"i-{run}", fields["city"].GetProperty("setBy").GetString());
        Assert.Equal([$"i-{run}", $"o-{run}"], export.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Order());
        var order = Assert.Single(export.GetProperty("orders").EnumerateArray());
        Assert.Equal(("A-1", $"o-{run}", 42.5), (order.GetProperty("orderId").GetString(), order.GetProperty("eventId").GetString(), order.GetProperty("revenue").GetDouble()));
        Assert.Equal(1, export.GetProperty("eventTotals").GetProperty("order_completed").GetInt64());
        Assert.Contains(export.GetProperty("dailyTotals").EnumerateArray(), d => d.GetProperty("type").GetString() == "order_completed" && d.GetProperty("count").GetInt64() == 1);
        var entered = Assert.Single(export.GetProperty("history").EnumerateArray(), h => h.GetProperty("segment").GetString() == segment);
        Assert.Equal((segment, "entered", $"event:o-{run}"), (entered.GetProperty("segment").GetString(), entered.GetProperty("kind").GetString(), entered.GetProperty("cause").GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/customers/nobody-{run}/export")).StatusCode);
    }

    [Fact]
    public async Task Events_for_an_erased_id_are_refused_one_by_one_until_the_suppression_is_lifted()
    {
        using var admin = fixture.Client(AdminA);
        var run = Guid.NewGuid().ToString("N")[..8];
        var (gone, other) = ($"gone-{run}", $"other-{run}");
        string Visit(string id, string customer) =>
            $$"""{"id": "{{id}}-{{run}}", "customerId": "{{customer}}", "type": "visit", "timestamp": "{{DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture)}}"}""";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{Visit("v1", gone)}]"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/stores/shop-a/customers/{gone}")).StatusCode);

        // A late retry and a new event of the erased id: reported by id, not a failed request; the other customer's applies.
        var answer = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{Visit("v1", gone)}, {Visit("v2", gone)}, {Visit("w1", other)}]"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var counts = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, counts.GetProperty("accepted").GetInt32());
        Assert.Equal(0, counts.GetProperty("duplicates").GetInt32());
        Assert.Equal([$"v1-{run}", $"v2-{run}"], counts.GetProperty("suppressed").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/customers/{gone}")).StatusCode);

        // The profile route changes nothing either, and says why.
        var profile = await admin.PutAsync($"/v1/stores/shop-a/customers/{gone}/profile", JsonBody("""{"firstName": "Back"}"""));
        Assert.Equal(HttpStatusCode.Conflict, profile.StatusCode);
        Assert.Contains("suppressions", (await profile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/customers/{gone}")).StatusCode);

        // Lifted: the next event makes a new customer. A second lift, or one of an id never suppressed, is a 404.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/stores/shop-a/suppressions/{gone}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/stores/shop-a/suppressions/{gone}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/stores/shop-a/suppressions/{other}")).StatusCode);
        var again = await (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{Visit("v3", gone)}]"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, again.GetProperty("accepted").GetInt32());
        Assert.False(again.TryGetProperty("suppressed", out _));
        var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{gone}");
        Assert.Equal(1, view.GetProperty("traits").GetProperty("events").GetInt64());
    }
}
