using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// A key of store A can never read, write, enumerate or infer anything of store B: every route the Api serves
/// (taken from its own OpenAPI document, so a new route is tried too) answers 403 with the same body whether
/// or not B, its segment or its customer exists, and B's data is unchanged afterwards.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StoreIsolationTests(ApiFixture fixture)
{
    /// <summary>Routes without a store in the path: ops routes, and the tracking routes, whose store is the key's.</summary>
    private static readonly HashSet<string> Storeless =
    [
        "/health/live", "/health/ready", "/v1/keys/me",
        "/v1/batch", "/v1/identify", "/v1/track", "/v1/page", "/v1/screen", "/v1/group", "/v1/alias",
        "/v1/b", "/v1/i", "/v1/t", "/v1/p", "/v1/s", "/v1/g", "/v1/a", "/beacon/v1/batch",
    ];

    [Fact]
    public async Task Every_route_answers_a_key_of_another_store_with_the_same_403_and_changes_nothing()
    {
        using var b = fixture.Client(AdminB);
        var secrets = await SeedStoreBAsync(b);
        var before = await SnapshotAsync(b, secrets);
        using var a = fixture.Client(AdminA);
        using var readerA = fixture.Client(ReaderA);

        var operations = await OperationsAsync(a);
        Assert.Contains(operations, o => o.Path == "/v1/stores/{store}/keys/{id}" && o.Method == HttpMethod.Delete);
        var storeless = operations.Where(o => !o.Path.Contains("{store}", StringComparison.Ordinal)).Select(o => o.Path).ToHashSet();
        Assert.True(storeless.IsSubsetOf(Storeless), $"routes without {{store}} need a look here: {string.Join(", ", storeless.Except(Storeless))}");

        var bodies = new HashSet<string>(StringComparer.Ordinal);
        var tried = 0;
        foreach (var (method, path) in operations.Where(o => o.Path.Contains("{store}", StringComparison.Ordinal)))
        {
            foreach (var target in new[] { secrets, secrets with { Segment = "no-such-seg", Customer = "nobody", KeyId = "0123456789abcdef" }, secrets with { Store = "no-such-store" } })
            {
                foreach (var client in new[] { a, readerA })
                {
                    using var request = new HttpRequestMessage(method, Fill(path, target));
                    if (method == HttpMethod.Post || method == HttpMethod.Put)
                    {
                        request.Content = JsonBody(BodyFor(path, secrets));
                    }

                    var response = await client.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {request.RequestUri}: {(int)response.StatusCode} {text}");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    bodies.Add(WithoutTraceId(text));
                    tried++;
                }
            }
        }

        Assert.True(tried >= 17 * 6, $"only {tried} requests: did the OpenAPI document lose routes?");
        var body = Assert.Single(bodies);
        foreach (var secret in new[] { "shop-b", secrets.Segment, secrets.Customer, secrets.KeyId, "no-such" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(b, secrets));
    }

    [Fact]
    public async Task Tracking_calls_and_segment_references_stay_in_the_keys_own_store()
    {
        using var b = fixture.Client(AdminB);
        var secrets = await SeedStoreBAsync(b);
        var before = await SnapshotAsync(b, secrets);
        using var a = fixture.Client(AdminA);
        var nowhere = $"nowhere-{Guid.NewGuid():N}"[..16];

        // A Segment SDK with A's write key naming B's customer writes to A's customer of that id.
        var tracked = await a.PostAsync("/v1/batch", JsonBody($$$"""
            {"batch": [{"type": "identify", "messageId": "{{{Guid.NewGuid():N}}}", "userId": "{{{secrets.Customer}}}", "traits": {"email": "planted@example.com"}},
                       {"type": "track", "messageId": "{{{Guid.NewGuid():N}}}", "userId": "{{{secrets.Customer}}}", "event": "Order Completed", "properties": {"revenue": 999}}]}
            """));
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/v1/stores/shop-a/customers/{secrets.Customer}")).StatusCode);

        // B's segment is no more known to A's rules than a segment that exists nowhere: the same 400, word for word.
        foreach (var draft in new[]
        {
            """{"id": "refers-across", "rule": "in_segment(\"@\") and orders >= 1"}""",
            """{"id": "refers-across", "parent": "@", "rule": "orders >= 1"}""",
        })
        {
            var toB = await ProblemAsync(await a.PostAsync("/v1/stores/shop-a/segments", JsonBody(draft.Replace("@", secrets.Segment, StringComparison.Ordinal))));
            var toNowhere = await ProblemAsync(await a.PostAsync("/v1/stores/shop-a/segments", JsonBody(draft.Replace("@", nowhere, StringComparison.Ordinal))));
            Assert.Equal(400, toB.Status);
            Assert.Equal(toNowhere.Detail.Replace(nowhere, "@", StringComparison.Ordinal), toB.Detail.Replace(secrets.Segment, "@", StringComparison.Ordinal));
        }

        // A preview reading B's segment sees none of B's members: the same answer as for a segment that does not exist.
        var previews = new List<string>();
        foreach (var id in new[] { secrets.Segment, nowhere })
        {
            var preview = await a.PostAsync("/v1/stores/shop-a/segments/preview", JsonBody($$$"""{"rule": "in_segment(\"{{{id}}}\")"}"""));
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            var answer = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(0, answer["count"]!.GetValue<long>());
            answer.Remove("asOf");
            answer.Remove("rule");
            answer.Remove("evaluated");
            previews.Add(answer.ToJsonString());
        }

        Assert.Equal(previews[0], previews[1]);
        Assert.Equal(before, await SnapshotAsync(b, secrets));
    }

    /// <summary>Store B: a segment with a member (no other test's customer), a customer with a profile, and a created key.</summary>
    private static async Task<Secrets> SeedStoreBAsync(HttpClient b)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var secrets = new Secrets("shop-b", $"b-secret-{tag}", $"b-cust-{tag}", "");
        Assert.Equal(HttpStatusCode.Created, (await b.PostAsync("/v1/stores/shop-b/segments", JsonBody($$$"""{"id": "{{{secrets.Segment}}}", "rule": "orders >= 1 and profile.email == \"b-{{{tag}}}@example.com\""}"""))).StatusCode);
        var events = await b.PostAsync("/v1/stores/shop-b/events", JsonBody($$$"""
            [{"id": "bi-{{{tag}}}", "customerId": "{{{secrets.Customer}}}", "type": "identify", "timestamp": "2026-11-20T10:00:00Z", "properties": {"email": "b-{{{tag}}}@example.com"}},
             {"id": "bo-{{{tag}}}", "customerId": "{{{secrets.Customer}}}", "type": "order_completed", "timestamp": "2026-11-20T11:00:00Z", "properties": {"revenue": 30}}]
            """));
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        var (keyId, _, _) = await ApiKeyTests.CreateAsync(b, """{"scopes": ["read"]}""", "shop-b");
        // Settled: the store's default segments exist and every segment is backfilled, so nothing moves by itself.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Settled((await b.GetFromJsonAsync<JsonElement>("/v1/stores/shop-b/segments")).GetProperty("items")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the backfills did not finish");
            await Task.Delay(20);
        }

        return secrets with { KeyId = keyId };
    }

    private static bool Settled(JsonElement segments) =>
        segments.EnumerateArray().Count(s => s.GetProperty("id").GetString()!.StartsWith("lifecycle-", StringComparison.Ordinal)) == 6
        && segments.EnumerateArray().All(s => s.GetProperty("status").GetString() == "ready");

    /// <summary>What A could have changed in B: definitions, membership, the customer, settings and keys.</summary>
    private static async Task<string> SnapshotAsync(HttpClient b, Secrets secrets)
    {
        var segments = (await b.GetFromJsonAsync<JsonObject>("/v1/stores/shop-b/segments"))!["items"]!.AsArray()
            .Select(s => $"{s!["id"]}|{s["name"]}|{s["parent"]}|{s["rule"]}|{s["version"]}");
        var customer = (await b.GetFromJsonAsync<JsonObject>($"/v1/stores/shop-b/customers/{secrets.Customer}"))!;
        customer.Remove("classification");
        var keys = await b.GetStringAsync("/v1/stores/shop-b/keys");
        return string.Join("\n",
            string.Join(";", segments.Order(StringComparer.Ordinal)),
            await b.GetStringAsync($"/v1/stores/shop-b/segments/{secrets.Segment}/members"),
            (await b.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-b/segments/{secrets.Segment}/count")).GetProperty("count").GetInt64(),
            customer.ToJsonString(),
            await b.GetStringAsync("/v1/stores/shop-b/classification"),
            keys);
    }

    private static async Task<List<(HttpMethod Method, string Path)>> OperationsAsync(HttpClient client)
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        return
        [
            .. document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Name is "get" or "post" or "put" or "delete" or "patch")
                .Select(operation => (new HttpMethod(operation.Name.ToUpperInvariant()), path.Name))),
        ];
    }

    private static string Fill(string path, Secrets target) => path
        .Replace("{store}", target.Store, StringComparison.Ordinal)
        .Replace("{segment}", target.Segment, StringComparison.Ordinal)
        .Replace("{customer}", target.Customer, StringComparison.Ordinal)
        .Replace("{id}", path.Contains("/keys/", StringComparison.Ordinal) ? target.KeyId : target.Customer, StringComparison.Ordinal);

    /// <summary>A body that would change B if it were let through.</summary>
    private static string BodyFor(string path, Secrets secrets) => path switch
    {
        _ when path.EndsWith("/events", StringComparison.Ordinal) =>
            $$$"""[{"id": "{{{Guid.NewGuid():N}}}", "customerId": "{{{secrets.Customer}}}", "type": "order_refunded", "timestamp": "2026-11-21T10:00:00Z", "properties": {"revenue": 30}}]""",
        _ when path.EndsWith("/profile", StringComparison.Ordinal) => """{"email": "planted@example.com"}""",
        _ when path.EndsWith("/preview", StringComparison.Ordinal) => $$$"""{"rule": "in_segment(\"{{{secrets.Segment}}}\")", "sample": 100}""",
        _ when path.EndsWith("/segments", StringComparison.Ordinal) => """{"id": "planted", "rule": "orders >= 0"}""",
        _ when path.EndsWith("/{segment}", StringComparison.Ordinal) => """{"rule": "orders >= 0"}""",
        _ when path.EndsWith("/classification", StringComparison.Ordinal) => """{"highFrom": 1, "mediumFrom": 0}""",
        _ when path.EndsWith("/keys", StringComparison.Ordinal) => """{"scopes": ["admin"]}""",
        _ => "{}",
    };

    private static string WithoutTraceId(string problem)
    {
        var node = JsonNode.Parse(problem)!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private static async Task<(int Status, string Detail)> ProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (problem.GetProperty("status").GetInt32(), problem.GetProperty("detail").GetString()!);
    }

    private sealed record Secrets(string Store, string Segment, string Customer, string KeyId);
}
