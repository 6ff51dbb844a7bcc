using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// What the web console needs of the API: to learn a key's store and scopes (<c>GET /v1/keys/me</c>), and a rule's syntax
/// error with its place in the text, so an editor can point at it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConsoleApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_key_learns_its_store_and_scopes_and_a_wrong_key_is_told_401()
    {
        using var admin = fixture.Client(AdminA);
        Assert.Equal("""{"store":"shop-a","scopes":["admin","ingest","read"]}""", await admin.GetStringAsync("/v1/keys/me"));
        using var reader = fixture.Client(ReaderA);
        Assert.Equal("""{"store":"shop-a","scopes":["read"]}""", await reader.GetStringAsync("/v1/keys/me"));

        // A created key with no read scope may still ask: the route needs a valid key, not a scope.
        var (_, ingestKey, _) = await ApiKeyTests.CreateAsync(admin, """{"scopes": ["ingest"]}""");
        using var ingest = fixture.Client(ingestKey);
        Assert.Equal("""{"store":"shop-a","scopes":["ingest"]}""", await ingest.GetStringAsync("/v1/keys/me"));

        foreach (var client in new[] { fixture.Client(null), fixture.Client("cg_not_a_key"), fixture.Client("cgk_shop-a_0123456789abcdef_" + new string('x', 43)) })
        {
            using (client)
            {
                var response = await client.GetAsync("/v1/keys/me");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Theory]
    [InlineData("orders >= \"two\"", 10)]
    [InlineData("orders >= 2 and\n  revnue > 50", 18)]
    [InlineData("count(visit, 90x) >= 2", 13)]
    [InlineData("orders >=", 9)]
    public async Task A_rule_syntax_error_names_its_position_on_create_and_preview_and_nothing_is_saved(string rule, int position)
    {
        using var admin = fixture.Client(AdminA);
        var id = $"console-{Guid.NewGuid():N}"[..24];
        var created = await ProblemAsync(await admin.PostAsJsonAsync("/v1/stores/shop-a/segments", new { id, rule }));
        var previewed = await ProblemAsync(await admin.PostAsJsonAsync("/v1/stores/shop-a/segments/preview", new { rule }));

        foreach (var problem in new[] { created, previewed })
        {
            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal("rule", error.GetProperty("field").GetString());
            Assert.Equal(position, error.GetProperty("position").GetInt32());
            // The existing contract stands: the reason still says where, and so does the detail.
            Assert.StartsWith($"at position {position}: expected ", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Contains($"rule at position {position}: expected ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/segments/{id}")).StatusCode);
    }

    [Fact]
    public async Task Errors_that_are_not_a_rule_s_syntax_carry_no_position()
    {
        using var admin = fixture.Client(AdminA);
        var problem = await ProblemAsync(await admin.PostAsJsonAsync("/v1/stores/shop-a/segments", new { id = "Bad Id", rule = "orders >= 1", holdout = 90 }));
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["id", "holdout"], errors.Select(e => e.GetProperty("field").GetString()));
        Assert.All(errors, e => Assert.False(e.TryGetProperty("position", out _)));

        // A rule as a JSON tree has no text to point into.
        var tree = await ProblemAsync(await admin.PostAsync("/v1/stores/shop-a/segments/preview", JsonBody("""{"rule": {"field": "orders", "op": ">=", "value": "two"}}""")));
        var error = Assert.Single(tree.GetProperty("errors").EnumerateArray());
        Assert.Equal("rule", error.GetProperty("field").GetString());
        Assert.False(error.TryGetProperty("position", out _));
    }

    [Fact]
    public async Task The_console_is_served_without_a_key_under_a_policy_that_runs_only_its_own_scripts()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Api.BaseAddress };
        var bare = await anonymous.GetAsync("/console");
        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.EndsWith("/console/", bare.Headers.Location!.ToString(), StringComparison.Ordinal);

        foreach (var (path, type) in new[] { ("/console/", "text/html"), ("/console/app.js", "text/javascript"), ("/console/vendor/uplot/uPlot.esm.js", "text/javascript") })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
            Assert.Contains("connect-src 'self';", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", string.Join(" ", response.Headers.GetValues("X-Content-Type-Options")));
        }

        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await anonymous.GetStringAsync("/console/"), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }
}
