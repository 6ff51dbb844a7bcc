using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>"Why is this customer (not) in this segment", over real HTTP with a read key.</summary>
[Collection(ApiCollection.Name)]
public sealed class SegmentExplainTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_non_member_is_told_which_clause_fails_with_its_value_and_unknowns_are_404()
    {
        using var admin = fixture.Client(AdminA);
        using var reader = fixture.Client(ReaderA);
        var run = Guid.NewGuid().ToString("N")[..8];
        var segment = $"quiet-{run}";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody(
            $$"""{"id": "{{segment}}", "name": "Quiet regulars", "rule": "count(visit, 30d) >= 2 and count(visit, 7d) == 0"}"""))).StatusCode);
        string Visit(string id, string customer, int daysAgo) =>
            $$"""{"id": "{{id}}-{{run}}", "customerId": "{{customer}}-{{run}}", "type": "visit", "timestamp": "{{DateTimeOffset.UtcNow.AddDays(-daysAgo).ToString("O", CultureInfo.InvariantCulture)}}"}""";
        var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody(
            $"[{Visit("a1", "ana", 10)}, {Visit("a2", "ana", 8)}, {Visit("b1", "bob", 10)}, {Visit("b2", "bob", 1)}, {Visit("c1", "shop/carl", 2)}]"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        var response = await reader.GetAsync($"/v1/stores/shop-a/segments/{segment}/members/bob-{run}/explain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bob = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            ["segment", "version", "customerId", "member", "result", "failing", "asOf", "rule"],
            bob.EnumerateObject().Select(p => p.Name));
        Assert.Equal(segment, bob.GetProperty("segment").GetString());
        Assert.Equal(1, bob.GetProperty("version").GetInt64());
        Assert.Equal($"bob-{run}", bob.GetProperty("customerId").GetString());
        Assert.False(bob.GetProperty("member").GetBoolean());
        Assert.False(bob.GetProperty("result").GetBoolean());
        Assert.Equal(["count(visit, 7d) == 0"], bob.GetProperty("failing").EnumerateArray().Select(f => f.GetString()));
        Assert.EndsWith("Z", bob.GetProperty("asOf").GetString(), StringComparison.Ordinal);

        var rule = bob.GetProperty("rule");
        Assert.Equal("count(visit, 30d) >= 2 and count(visit, 7d) == 0", rule.GetProperty("clause").GetString());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("value").ValueKind);
        Assert.False(rule.GetProperty("result").GetBoolean());
        var leaves = rule.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal(2, leaves.Count);
        Assert.All(leaves, leaf => Assert.Equal(["clause", "value", "result"], leaf.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(("count(visit, 30d) >= 2", 2, true), (leaves[0].GetProperty("clause").GetString(), leaves[0].GetProperty("value").GetInt32(), leaves[0].GetProperty("result").GetBoolean()));
        Assert.Equal(("count(visit, 7d) == 0", 1, false), (leaves[1].GetProperty("clause").GetString(), leaves[1].GetProperty("value").GetInt32(), leaves[1].GetProperty("result").GetBoolean()));

        var ana = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}/members/ana-{run}/explain");
        Assert.True(ana.GetProperty("member").GetBoolean());
        Assert.True(ana.GetProperty("result").GetBoolean());
        Assert.Equal(0, ana.GetProperty("failing").GetArrayLength());

        // A customer id holding a '/' is sent escaped, as on the customer routes.
        var carl = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}/members/shop%2Fcarl-{run}/explain");
        Assert.Equal($"shop/carl-{run}", carl.GetProperty("customerId").GetString());
        Assert.Equal(["count(visit, 30d) >= 2", "count(visit, 7d) == 0"], carl.GetProperty("failing").EnumerateArray().Select(f => f.GetString()));

        await AssertProblemAsync(reader, $"/v1/stores/shop-a/segments/no-such-{run}/members/bob-{run}/explain", HttpStatusCode.NotFound, $"no segment 'no-such-{run}'");
        await AssertProblemAsync(reader, $"/v1/stores/shop-a/segments/{segment}/members/nobody-{run}/explain", HttpStatusCode.NotFound, $"no customer 'nobody-{run}'");
        await AssertProblemAsync(reader, $"/v1/stores/shop-a/segments/Bad%20Id/members/bob-{run}/explain", HttpStatusCode.NotFound, "no segment");
        await AssertProblemAsync(reader, $"/v1/stores/shop-a/segments/{segment}/members/{new string('x', 300)}/explain", HttpStatusCode.BadRequest, "customer id");
    }

    private static async Task AssertProblemAsync(HttpClient client, string url, HttpStatusCode status, string detail)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
