using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>The change feed over real HTTP with a read key: pages, a long poll, a resumable event stream, and refusals.</summary>
[Collection(ApiCollection.Name)]
public sealed class ChangeFeedApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Changes_come_as_pages_a_long_poll_and_a_stream_resumed_from_its_last_event_id()
    {
        using var admin = fixture.Client(AdminA);
        using var reader = fixture.Client(ReaderA);
        var run = Guid.NewGuid().ToString("N")[..8];
        var segment = $"buyers-{run}";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody(
            $$"""{"id": "{{segment}}", "rule": "orders >= 1 and revenue > 0"}"""))).StatusCode);
        async Task PostAsync(string body) =>
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody(body))).StatusCode);
        string Order(string id, string customer, int revenue) =>
            $$$"""{"id": "{{{id}}}-{{{run}}}", "customerId": "{{{customer}}}-{{{run}}}", "type": "order_completed", "timestamp": "{{{DateTimeOffset.UtcNow:O}}}", "properties": {"revenue": {{{revenue}}}, "orderId": "{{{id}}}"}}""";

        // The backfill enters the buyers other tests left in the store first: this test follows on from them.
        await WebhookScenario.EventuallyAsync(
            () => reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}"),
            s => s.GetProperty("status").GetString() == "ready", "the backfill completes", seconds: 60);

        var backfilled = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?segment={segment}&after=latest");
        Assert.Empty(backfilled.GetProperty("items").EnumerateArray());
        var start = backfilled.GetProperty("next").GetString() is { } next ? $"&after={next}" : "";
        await PostAsync($"[{Order("o1", "ann", 20)}, {Order("o2", "bob", 30)}]");
        await PostAsync($$$"""[{"id": "r1-{{{run}}}", "customerId": "ann-{{{run}}}", "type": "order_refunded", "timestamp": "{{{DateTimeOffset.UtcNow:O}}}", "properties": {"orderId": "o1"}}]""");

        var first = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?segment={segment}&limit=2{start}");
        Assert.Equal(["items", "next"], first.EnumerateObject().Select(p => p.Name));
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([$"ann-{run}", $"bob-{run}"], items.Select(i => i.GetProperty("customerId").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["cursor", "seq", "segment", "version", "customerId", "kind", "at", "cause", "holdout"],
            items[0].EnumerateObject().Select(p => p.Name));
        Assert.All(items, i => Assert.Equal(("entered", segment, 1L, false), (i.GetProperty("kind").GetString(), i.GetProperty("segment").GetString(), i.GetProperty("version").GetInt64(), i.GetProperty("holdout").GetBoolean())));
        Assert.Equal(items[1].GetProperty("cursor").GetString(), first.GetProperty("next").GetString());

        var second = await reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?segment={segment}&after={first.GetProperty("next").GetString()}");
        var exit = Assert.Single(second.GetProperty("items").EnumerateArray());
        Assert.Equal(("exited", $"ann-{run}", $"event:r1-{run}"), (exit.GetProperty("kind").GetString(), exit.GetProperty("customerId").GetString(), exit.GetProperty("cause").GetString()));
        var head = second.GetProperty("next").GetString();

        // A long poll from the head returns with the next change as soon as it is committed.
        var polling = reader.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?segment={segment}&after={head}&wait=20");
        await PostAsync($"[{Order("o3", "cy", 40)}]");
        var polled = await polling.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"cy-{run}", Assert.Single(polled.GetProperty("items").EnumerateArray()).GetProperty("customerId").GetString());

        // The same as Server-Sent Events, resumed from an event id: what comes after it, then what is committed later.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/stores/shop-a/changes?segment={segment}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", head);
        using var response = await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = SseParser.Create(stream).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await events.MoveNextAsync());
        var streamed = JsonSerializer.Deserialize<JsonElement>(events.Current.Data);
        Assert.Equal(("change", polled.GetProperty("items")[0].GetProperty("cursor").GetString()), (events.Current.EventType, events.Current.EventId));
        Assert.Equal($"cy-{run}", streamed.GetProperty("customerId").GetString());
        await PostAsync($"[{Order("o4", "dee", 50)}]");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal($"dee-{run}", JsonSerializer.Deserialize<JsonElement>(events.Current.Data).GetProperty("customerId").GetString());
        await events.DisposeAsync();
    }

    [Fact]
    public async Task A_customers_history_lists_its_entries_and_exits_newest_first_a_page_at_a_time()
    {
        using var admin = fixture.Client(AdminA);
        using var reader = fixture.Client(ReaderA);
        var run = Guid.NewGuid().ToString("N")[..8];
        var segment = $"spent-{run}";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody(
            $$"""{"id": "{{segment}}", "rule": "revenue > 0"}"""))).StatusCode);
        string Event(string id, string type, int hoursAgo) =>
            $$$"""{"id": "{{{id}}}-{{{run}}}", "customerId": "a/b-{{{run}}}", "type": "{{{type}}}", "timestamp": "{{{DateTimeOffset.UtcNow.AddHours(-hoursAgo):O}}}", "properties": {"revenue": 25, "orderId": "{{{id}}}"}}""";
        foreach (var body in new[] { Event("o1", "order_completed", 3), $$$"""{"id": "r1-{{{run}}}", "customerId": "a/b-{{{run}}}", "type": "order_refunded", "timestamp": "{{{DateTimeOffset.UtcNow.AddHours(-2):O}}}", "properties": {"orderId": "o1"}}""", Event("o2", "order_completed", 1) })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{body}]"))).StatusCode);
        }

        var route = $"/v1/stores/shop-a/customers/a%2Fb-{run}/history?segment={segment}";
        var all = await reader.GetFromJsonAsync<JsonElement>(route);
        Assert.Equal(["customerId", "items", "nextCursor", "heldSince"], all.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["segment", "version", "kind", "at", "cause"], all.GetProperty("items")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            [("entered", $"event:o2-{run}"), ("exited", $"event:r1-{run}"), ("entered", $"event:o1-{run}")],
            all.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("kind").GetString(), i.GetProperty("cause").GetString())));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("nextCursor").ValueKind);

        var paged = new List<string?>();
        for (var page = await reader.GetFromJsonAsync<JsonElement>($"{route}&limit=1"); ;)
        {
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("cause").GetString()));
            if (page.GetProperty("nextCursor").GetString() is not { } cursor)
            {
                break;
            }

            page = await reader.GetFromJsonAsync<JsonElement>($"{route}&limit=1&cursor={cursor}");
        }

        Assert.Equal(all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("cause").GetString()), paged);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/v1/stores/shop-a/customers/nobody-{run}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync($"{route}&cursor=bm9wZQ")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync($"{route}&limit=0")).StatusCode);
    }

    [Theory]
    [InlineData("after=nonsense", "after")]
    [InlineData("after=YzEuMC4x", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("wait=21", "wait")]
    [InlineData("wait=-1", "wait")]
    [InlineData("segment=Not%20an%20id", "segment")]
    public async Task A_bad_query_gets_400_naming_the_field(string query, string field)
    {
        using var reader = fixture.Client(ReaderA);

        var response = await reader.GetAsync($"/v1/stores/shop-a/changes?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("\"10x\"")]
    [InlineData("\"0m\"")]
    [InlineData("\"8d\"")]
    [InlineData("10")]
    [InlineData("\"1.5h\"")]
    public async Task A_bad_minimum_dwell_gets_400_naming_it_and_saves_nothing(string dwell)
    {
        using var admin = fixture.Client(AdminA);
        var id = $"dwell-{Guid.NewGuid():N}"[..20];

        var response = await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{id}}", "rule": "orders >= 1", "minDwell": {{dwell}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("minDwell", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/segments/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_segments_minimum_dwell_is_shown_in_the_unit_that_writes_it_whole()
    {
        using var admin = fixture.Client(AdminA);
        var id = $"dwell-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{id}}", "rule": "orders >= 1", "minDwell": "90m"}"""))).StatusCode);
        Assert.Equal("90m", (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{id}")).GetProperty("minDwell").GetString());
        var hours = $"dwell-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{hours}}", "rule": "orders >= 1", "minDwell": "120m"}"""))).StatusCode);
        Assert.Equal("2h", (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{hours}")).GetProperty("minDwell").GetString());
    }

    [Fact]
    public async Task An_unknown_segment_is_404_and_the_feed_needs_a_key_of_the_store()
    {
        using var reader = fixture.Client(ReaderA);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/v1/stores/shop-a/changes?segment=no-such-segment")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/stores/shop-b/changes")).StatusCode);
    }
}
