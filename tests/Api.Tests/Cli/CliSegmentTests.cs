using System.Net;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Cli.CliTestData;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests.Cli;

/// <summary><c>customergrains segments …</c> against a running Api, and how a failing command tells it.</summary>
[Collection(ApiCollection.Name)]
public sealed class CliSegmentTests(ApiFixture fixture) : IDisposable
{
    private readonly CliProcess _cli = new();

    [Fact]
    public async Task A_segment_is_previewed_created_listed_shown_edited_and_deleted_from_the_command_line()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var type = $"cli_{run}";
        await PostEventsAsync(fixture, type, [$"{run}-a", $"{run}-b"], repeats: 2);
        await PostEventsAsync(fixture, type, [$"{run}-c"]);
        var segment = $"cli-{run}";

        var preview = (await _cli.RunAsync(AsAdmin(fixture, "segments", "preview", $"count({type}, 30d) >= 1", "--sample", "5", "--json"))).Exits(0).Json;
        Assert.Equal(3, preview.GetProperty("count").GetInt64());
        Assert.Equal([$"{run}-a", $"{run}-b", $"{run}-c"], preview.GetProperty("sample").EnumerateArray().Select(s => s.GetString()).Order());
        var previewText = (await _cli.RunAsync(AsAdmin(fixture, "segments", "preview", $"count({type}, 30d) >= 1"))).Exits(0).Stdout;
        Assert.StartsWith("3 of ", previewText, StringComparison.Ordinal);

        var created = (await _cli.RunAsync(AsAdmin(fixture, "segments", "create", segment, "--rule", $"count({type}, 30d) >= 1", "--name", $"CLI {run}", "--holdout", "10", "--json"))).Exits(0).Json;
        Assert.Equal(segment, created.GetProperty("id").GetString());
        Assert.Equal(1, created.GetProperty("version").GetInt64());
        Assert.Equal(10, created.GetProperty("holdout").GetInt32());
        await WaitForCountAsync(fixture, segment, 3);

        var list = (await _cli.RunAsync(AsAdmin(fixture, "segments", "list", "--json"))).Exits(0).Json;
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetString() == segment);
        var shown = (await _cli.RunAsync(AsAdmin(fixture, "segments", "show", segment, "--json"))).Exits(0).Json;
        Assert.Equal(3, shown.GetProperty("count").GetProperty("count").GetInt64());
        Assert.Equal($"CLI {run}", shown.GetProperty("name").GetString());

        // An edit changes the rule only: the name and the holdout stay as they were.
        var edited = (await _cli.RunAsync(AsAdmin(fixture, "segments", "edit", segment, "--rule", $"count({type}, 30d) >= 2", "--json"))).Exits(0).Json;
        Assert.Equal($"CLI {run}", edited.GetProperty("name").GetString());
        Assert.Equal(10, edited.GetProperty("holdout").GetInt32());
        await WaitForCountAsync(fixture, segment, 2);
        var after = (await _cli.RunAsync(AsAdmin(fixture, "segments", "show", segment, "--json"))).Exits(0).Json;
        Assert.Equal(2, after.GetProperty("version").GetInt64());
        Assert.Equal($"count({type}, 30d) >= 2", after.GetProperty("rule").GetString());

        var deleted = (await _cli.RunAsync(AsAdmin(fixture, "segments", "delete", segment, "--yes"))).Exits(0);
        Assert.Contains($"deleted segment '{segment}'", deleted.Stdout, StringComparison.Ordinal);
        using var client = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/stores/shop-a/segments/{segment}")).StatusCode);
    }

    [Fact]
    public async Task A_rule_with_a_syntax_error_exits_4_with_the_APIs_reason_and_saves_nothing()
    {
        var segment = $"cli-bad-{Guid.NewGuid().ToString("N")[..8]}";

        var refused = (await _cli.RunAsync(AsAdmin(fixture, "segments", "create", segment, "--rule", "orders >= "))).Exits(4);
        Assert.Equal("", refused.Stdout);
        Assert.StartsWith("error: the segment was not saved: rule ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("position", refused.Stderr, StringComparison.Ordinal);

        var asJson = (await _cli.RunAsync(AsAdmin(fixture, "segments", "create", segment, "--rule", "orders >= ", "--json"))).Exits(4);
        Assert.Equal(4, asJson.Error.GetProperty("exitCode").GetInt32());
        Assert.Equal(400, asJson.Error.GetProperty("status").GetInt32());
        Assert.Equal("rule", asJson.Error.GetProperty("problem").GetProperty("errors")[0].GetProperty("field").GetString());

        using var client = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/stores/shop-a/segments/{segment}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_segment_exits_2_a_bad_key_3_an_unreachable_API_5_and_a_wrong_command_line_1()
    {
        var missing = $"cli-none-{Guid.NewGuid().ToString("N")[..8]}";

        var unknown = (await _cli.RunAsync(AsAdmin(fixture, "segments", "show", missing))).Exits(2);
        Assert.Equal($"error: no segment '{missing}' in this store\n", unknown.Stderr);
        var unknownJson = (await _cli.RunAsync(AsAdmin(fixture, "segments", "delete", missing, "--yes", "--json"))).Exits(2);
        Assert.Equal(404, unknownJson.Error.GetProperty("status").GetInt32());

        var badKey = (await _cli.RunAsync("segments", "list", "--url", fixture.Api.BaseAddress.ToString(), "--store", "shop-a", "--key", "not-a-key"))
            .Exits(3);
        Assert.Contains("valid API key", badKey.Stderr, StringComparison.Ordinal);

        // A key of the store without the admin scope.
        var readOnly = (await _cli.RunAsync("keys", "list", "--url", fixture.Api.BaseAddress.ToString(), "--store", "shop-a", "--key", ReaderA)).Exits(3);
        Assert.StartsWith("error: ", readOnly.Stderr, StringComparison.Ordinal);

        var closed = (await _cli.RunAsync("segments", "list", "--url", $"http://127.0.0.1:{ClosedPort()}", "--key", AdminA, "--store", "shop-a")).Exits(5);
        Assert.Contains("cannot reach the API", closed.Stderr, StringComparison.Ordinal);

        (await _cli.RunAsync("segments", "frobnicate")).Exits(1);
        var noChange = (await _cli.RunAsync(AsAdmin(fixture, "segments", "edit", missing))).Exits(1);
        Assert.Contains("nothing to change", noChange.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_without_a_terminal_to_ask_on_needs_yes_and_deletes_nothing()
    {
        var segment = $"cli-keep-{Guid.NewGuid().ToString("N")[..8]}";
        (await _cli.RunAsync(AsAdmin(fixture, "segments", "create", segment, "--rule", "orders >= 1000"))).Exits(0);

        var refused = (await _cli.RunAsync(AsAdmin(fixture, "segments", "delete", segment))).Exits(1);

        Assert.Contains("--yes", refused.Stderr, StringComparison.Ordinal);
        using var client = fixture.Client(AdminA);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/stores/shop-a/segments/{segment}")).StatusCode);
        (await _cli.RunAsync(AsAdmin(fixture, "segments", "delete", segment, "-y"))).Exits(0);
    }

    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose() => _cli.Dispose();
}
