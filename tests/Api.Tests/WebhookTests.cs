using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using CustomerGrains.Grains.Webhooks;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;
using static CustomerGrains.Api.Tests.Infrastructure.WebhookScenario;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// Webhooks over real HTTP: an Api process delivers to a receiver process that verifies every delivery with the
/// StandardWebhooks package; what the receiver got is compared with the change feed.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookTests(WebhookFixture fixture)
{
    private WebhookReceiverProcess Receiver => fixture.Receiver;

    [Fact]
    public async Task Deliveries_are_signed_batches_the_package_verifies_holding_every_change_of_the_feed_in_order_per_customer()
    {
        using var admin = fixture.Client(AdminA);
        var run = Run();
        var (segment, hook) = ($"wh-{run}", $"hook-{run}");
        await CreateSegmentAsync(admin, segment, run);
        var secret = WebhookSecret.Generate();
        await Receiver.SetupAsync(hook, secret);
        var created = await CreateWebhookAsync(admin, new { id = hook, url = Receiver.Url(hook), segments = new[] { segment }, secret });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(secret, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString());

        await OrdersAsync(admin, run, Enumerable.Range(0, 30));
        await OrdersAsync(admin, run, Enumerable.Range(30, 15));
        var feed = await FeedAsync(admin, segment);
        Assert.Equal(45 + 15, feed.Count);
        await EventuallyAsync(() => Receiver.AcceptedChangesAsync(hook), got => got.Select(Cursor).ToHashSet().IsSupersetOf(feed.Select(Cursor)), "every change delivered");

        var attempts = await Receiver.AttemptsAsync(hook);
        Assert.All(attempts, a => Assert.Equal("accepted", a.GetProperty("outcome").GetString()));
        Assert.All(attempts, a => Assert.Equal(
            ["type", "store", "webhook", "changes"], a.GetProperty("body").EnumerateObject().Select(p => p.Name)));
        Assert.All(attempts, a => Assert.Equal(
            ("segment.membership", "shop-a", hook), (a.GetProperty("body").GetProperty("type").GetString(), a.GetProperty("body").GetProperty("store").GetString(), a.GetProperty("body").GetProperty("webhook").GetString())));
        Assert.All(attempts, a => Assert.InRange(a.GetProperty("body").GetProperty("changes").GetArrayLength(), 1, WebhookFixture.BatchSize));
        Assert.True(attempts.Count >= 6, $"{feed.Count} changes in batches of at most {WebhookFixture.BatchSize}");
        Assert.All(attempts, a => Assert.InRange(
            long.Parse(a.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        EveryChangeAtLeastOnceInOrder(feed, await Receiver.AcceptedChangesAsync(hook));

        // The delivery log: newest first, each attempt's webhook-id, status, latency and size.
        var log = (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{hook}/deliveries")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["at", "messageId", "status", "error", "latencyMs", "changes", "replay"], log[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(attempts.Select(a => a.GetProperty("id").GetString()).Reverse(), log.Select(l => l.GetProperty("messageId").GetString()));
        Assert.All(log, l => Assert.Equal((204, JsonValueKind.Null, false), (l.GetProperty("status").GetInt32(), l.GetProperty("error").ValueKind, l.GetProperty("replay").GetBoolean())));
        Assert.All(log, l => Assert.True(l.GetProperty("latencyMs").GetInt64() >= 0));
        Assert.Equal(attempts.Select(a => a.GetProperty("body").GetProperty("changes").GetArrayLength()).Reverse(), log.Select(l => l.GetProperty("changes").GetInt32()));
        Assert.True(log.Select(l => l.GetProperty("at").GetDateTimeOffset()).SequenceEqual(log.Select(l => l.GetProperty("at").GetDateTimeOffset()).OrderDescending()));
    }

    [Fact]
    public async Task A_receiver_that_holds_another_secret_rejects_each_delivery_with_401_which_the_log_shows()
    {
        using var admin = fixture.Client(AdminA);
        var run = Run();
        var (segment, hook) = ($"wh-{run}", $"hook-{run}");
        await CreateSegmentAsync(admin, segment, run);
        await Receiver.SetupAsync(hook, WebhookSecret.Generate());
        Assert.Equal(HttpStatusCode.Created, (await CreateWebhookAsync(admin, new { id = hook, url = Receiver.Url(hook), segments = new[] { segment } })).StatusCode);

        await OrdersAsync(admin, run, [1]);

        var failures = await EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{hook}/failures")).GetProperty("items").EnumerateArray().ToList(),
            f => f.Count == 1, "the batch dead-lettered");
        Assert.Equal((WebhookFixture.MaxAttempts, "the receiver answered 401"), (failures[0].GetProperty("attempts").GetInt32(), failures[0].GetProperty("lastError").GetString()));
        var attempts = await Receiver.AttemptsAsync(hook);
        Assert.Equal(Enumerable.Repeat("rejected", WebhookFixture.MaxAttempts), attempts.Select(a => a.GetProperty("outcome").GetString()));
        var log = (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{hook}/deliveries")).GetProperty("items").EnumerateArray();
        Assert.Equal(Enumerable.Repeat(401, WebhookFixture.MaxAttempts), log.Select(l => l.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task A_batch_failing_every_attempt_goes_to_the_dead_letters_delivery_moves_on_and_a_replay_delivers_it_with_its_webhook_id()
    {
        using var admin = fixture.Client(AdminA);
        var run = Run();
        var (segment, hook) = ($"wh-{run}", $"hook-{run}");
        await CreateSegmentAsync(admin, segment, run);
        var secret = WebhookSecret.Generate();
        await Receiver.SetupAsync(hook, secret, "fail");
        Assert.Equal(HttpStatusCode.Created, (await CreateWebhookAsync(admin, new { id = hook, url = Receiver.Url(hook), segments = new[] { segment }, secret })).StatusCode);
        var route = $"/v1/stores/shop-a/webhooks/{hook}";

        await OrdersAsync(admin, run, [1]);
        var dead = await EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"{route}/failures")).GetProperty("items").EnumerateArray().ToList(),
            f => f.Count == 1, "the batch dead-lettered");
        Assert.Equal(
            ["messageId", "changes", "attempts", "lastError", "failedAt", "replaying", "after", "through"],
            dead[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, WebhookFixture.MaxAttempts, "the receiver answered 500", false), (dead[0].GetProperty("changes").GetInt32(), dead[0].GetProperty("attempts").GetInt32(),
            dead[0].GetProperty("lastError").GetString(), dead[0].GetProperty("replaying").GetBoolean()));
        var deadId = dead[0].GetProperty("messageId").GetString();
        var failed = await Receiver.AttemptsAsync(hook);
        Assert.Equal(Enumerable.Repeat<(string?, string?)>(("failed", deadId), WebhookFixture.MaxAttempts), failed.Select(a => (a.GetProperty("outcome").GetString(), a.GetProperty("id").GetString())));

        // The webhook moved on: what comes next is delivered while the dead letter stays.
        await Receiver.SetupAsync(hook, secret, "ok");
        await OrdersAsync(admin, run, [4]);
        await EventuallyAsync(() => Receiver.AcceptedChangesAsync(hook), got => got.Count == 1, "the next change delivered");
        Assert.Equal(deadId, Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"{route}/failures")).GetProperty("items").EnumerateArray()).GetProperty("messageId").GetString());

        var replay = await admin.PostAsync($"{route}/failures/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetInt32());
        await EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"{route}/failures")).GetProperty("items").GetArrayLength(),
            n => n == 0, "the replayed dead letter cleared");

        var accepted = (await Receiver.AttemptsAsync(hook)).Where(a => a.GetProperty("outcome").GetString() == "accepted").ToList();
        Assert.Equal(deadId, accepted[^1].GetProperty("id").GetString());
        EveryChangeAtLeastOnceInOrder(
            (await FeedAsync(admin, segment)).Where(c => c.GetProperty("customerId").GetString() != $"c4-{run}").ToList(),
            [.. accepted[^1].GetProperty("body").GetProperty("changes").EnumerateArray()]);
        EveryChangeAtLeastOnceInOrder(await FeedAsync(admin, segment), await Receiver.AcceptedChangesAsync(hook));
        var log = (await admin.GetFromJsonAsync<JsonElement>($"{route}/deliveries")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal((deadId, 204, true), (log[0].GetProperty("messageId").GetString(), log[0].GetProperty("status").GetInt32(), log[0].GetProperty("replay").GetBoolean()));
        Assert.Equal(WebhookFixture.MaxAttempts, log.Count(l => l.GetProperty("status").GetInt32() == 500));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_times_out_without_holding_up_another_webhook_and_gets_the_batch_once_it_answers()
    {
        using var admin = fixture.Client(AdminA);
        var run = Run();
        var (segment, slow, quick) = ($"wh-{run}", $"slow-{run}", $"quick-{run}");
        await CreateSegmentAsync(admin, segment, run);
        var secret = WebhookSecret.Generate();
        await Receiver.SetupAsync(slow, secret, "hang");
        await Receiver.SetupAsync(quick, secret);
        foreach (var hook in new[] { slow, quick })
        {
            Assert.Equal(HttpStatusCode.Created, (await CreateWebhookAsync(admin, new { id = hook, url = Receiver.Url(hook), segments = new[] { segment }, secret })).StatusCode);
        }

        await OrdersAsync(admin, run, [1, 2, 3]);
        var feed = await FeedAsync(admin, segment);

        // The quick webhook has everything while the slow one's receiver holds its first attempt open.
        await EventuallyAsync(() => Receiver.AcceptedChangesAsync(quick), got => got.Count >= feed.Count, "the quick webhook delivered");
        var hung = await Receiver.AttemptsAsync(slow);
        Assert.NotEmpty(hung);
        Assert.All(hung, a => Assert.Equal("hung", a.GetProperty("outcome").GetString()));
        var timedOut = await EventuallyAsync(
            async () => (await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{slow}/deliveries")).GetProperty("items").EnumerateArray().ToList(),
            l => l.Count >= 1, "the timeout logged");
        Assert.Equal((JsonValueKind.Null, "no answer within 1 s"), (timedOut[^1].GetProperty("status").ValueKind, timedOut[^1].GetProperty("error").GetString()));
        Assert.InRange(timedOut[^1].GetProperty("latencyMs").GetInt64(), 900, 5000);

        await Receiver.SetupAsync(slow, secret, "ok");
        await EventuallyAsync(() => Receiver.AcceptedChangesAsync(slow), got => got.Count >= feed.Count, "the slow webhook delivered");
        EveryChangeAtLeastOnceInOrder(feed, await Receiver.AcceptedChangesAsync(slow));
        EveryChangeAtLeastOnceInOrder(feed, await Receiver.AcceptedChangesAsync(quick));
        // The batch that timed out was sent again as the same message.
        var accepted = (await Receiver.AttemptsAsync(slow)).Where(a => a.GetProperty("outcome").GetString() == "accepted");
        Assert.Equal(hung[0].GetProperty("id").GetString(), accepted.First().GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_secret_is_shown_once_listing_and_reading_never_show_it_and_delete_forgets_the_webhook()
    {
        using var admin = fixture.Client(AdminA);
        var run = Run();
        var (segment, hook) = ($"wh-{run}", $"hook-{run}");
        await CreateSegmentAsync(admin, segment, run);
        await Receiver.SetupAsync(hook, WebhookSecret.Generate());

        var created = await CreateWebhookAsync(admin, new { id = hook, url = Receiver.Url(hook), kinds = new[] { "entered" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/v1/stores/shop-a/webhooks/{hook}", created.Headers.Location?.OriginalString);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["id", "url", "segments", "kinds", "createdAt", "secret"], body.EnumerateObject().Select(p => p.Name));
        var secret = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.InRange(Convert.FromBase64String(secret["whsec_".Length..]).Length, 24, 64);
        Assert.Equal((0, "entered"), (body.GetProperty("segments").GetArrayLength(), body.GetProperty("kinds")[0].GetString()));

        var one = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/webhooks/{hook}");
        Assert.Equal(["id", "url", "segments", "kinds", "createdAt"], one.EnumerateObject().Select(p => p.Name));
        var list = await admin.GetStringAsync("/v1/stores/shop-a/webhooks");
        Assert.Contains(hook, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", list, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Conflict, (await CreateWebhookAsync(admin, new { id = hook, url = Receiver.Url(hook) })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/stores/shop-a/webhooks/{hook}")).StatusCode);
        foreach (var route in new[] { "", "/failures", "/deliveries" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/webhooks/{hook}{route}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/v1/stores/shop-a/webhooks/{hook}/failures/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/stores/shop-a/webhooks/{hook}")).StatusCode);
        Assert.DoesNotContain(hook, await admin.GetStringAsync("/v1/stores/shop-a/webhooks"), StringComparison.Ordinal);

        // Nothing is sent for a deleted webhook: a webhook created after it gets the next change, the deleted one nothing.
        var control = $"ctl-{run}";
        await Receiver.SetupAsync(control, secret);
        Assert.Equal(HttpStatusCode.Created, (await CreateWebhookAsync(admin, new { id = control, url = Receiver.Url(control), segments = new[] { segment }, secret })).StatusCode);
        await OrdersAsync(admin, run, [1]);
        await EventuallyAsync(() => Receiver.AcceptedChangesAsync(control), got => got.Count == 1, "the control webhook delivered");
        Assert.Empty(await Receiver.AttemptsAsync(hook));
    }

    [Theory]
    [InlineData("""{"url": "http://127.0.0.1:9/x"}""", "id")]
    [InlineData("""{"id": "Bad Id", "url": "http://127.0.0.1:9/x"}""", "id")]
    [InlineData("""{"id": "h"}""", "url")]
    [InlineData("""{"id": "h", "url": "not a url"}""", "url")]
    [InlineData("""{"id": "h", "url": "ftp://127.0.0.1/x"}""", "url")]
    [InlineData("""{"id": "h", "url": "http://user:pw@127.0.0.1/x"}""", "url")]
    [InlineData("""{"id": "h", "url": "http://127.0.0.1:9/x", "segments": ["no-such-segment"]}""", "segments")]
    [InlineData("""{"id": "h", "url": "http://127.0.0.1:9/x", "segments": "all"}""", "segments")]
    [InlineData("""{"id": "h", "url": "http://127.0.0.1:9/x", "kinds": ["joined"]}""", "kinds")]
    [InlineData("""{"id": "h", "url": "http://127.0.0.1:9/x", "kinds": ["entered", "entered"]}""", "kinds")]
    [InlineData("""{"id": "h", "url": "http://127.0.0.1:9/x", "secret": "hunter2"}""", "secret")]
    [InlineData("""{"id": "h", "url": "http://127.0.0.1:9/x", "secret": "whsec_c2hvcnQ="}""", "secret")]
    [InlineData("""{"id": "h", "url": "http://127.0.0.1:9/x", "colour": "red"}""", "colour")]
    public async Task A_bad_webhook_gets_400_naming_the_field_and_nothing_is_created(string json, string field)
    {
        using var admin = fixture.Client(AdminA);

        var response = await admin.PostAsync("/v1/stores/shop-a/webhooks", JsonBody(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.DoesNotContain("\"h\"", await admin.GetStringAsync("/v1/stores/shop-a/webhooks"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.2:8080/hook", "loopback")]
    [InlineData("http://[::1]:8080/hook", "loopback")]
    [InlineData("http://10.1.2.3/hook", "private")]
    [InlineData("http://172.16.0.1/hook", "private")]
    [InlineData("http://192.168.1.1/hook", "private")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://[fd00::1]/hook", "unique-local")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "private")]
    [InlineData("http://[::ffff:127.0.0.2]/hook", "loopback")]
    [InlineData("http://224.0.0.1/hook", "multicast")]
    [InlineData("http://0.0.0.0/hook", "unspecified")]
    [InlineData("http://[::]/hook", "unspecified")]
    public async Task A_destination_at_a_private_loopback_or_link_local_address_is_refused_unless_allowed(string url, string kind)
    {
        using var admin = fixture.Client(AdminA);
        var hook = $"ssrf-{Run()}";

        var response = await CreateWebhookAsync(admin, new { id = hook, url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("url", error.GetProperty("field").GetString());
        Assert.Contains($"a {kind} address", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("AllowedHosts", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/webhooks/{hook}")).StatusCode);
    }

    [Fact]
    public async Task Webhooks_need_an_admin_key_of_the_store()
    {
        using var reader = fixture.Client(ReaderA);
        using var other = fixture.Client(AdminB);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/v1/stores/shop-a/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/v1/stores/shop-a/webhooks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/v1/stores/shop-a/webhooks", JsonBody("""{"id": "h", "url": "http://127.0.0.1:9/x"}"""))).StatusCode);
    }

    private static string Run() => Guid.NewGuid().ToString("N")[..8];
}
