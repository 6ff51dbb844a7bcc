using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Cli.CliTestData;

namespace CustomerGrains.Api.Tests.Cli;

/// <summary><c>customergrains members export</c>: every page, to a file or standard output, equal to the members route.</summary>
[Collection(ApiCollection.Name)]
public sealed class CliMemberExportTests(ApiFixture fixture) : IDisposable
{
    private readonly CliProcess _cli = new();

    [Fact]
    public async Task A_CSV_export_holds_exactly_what_every_page_of_the_members_route_holds()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var type = $"cli_{run}";

        // More members than the route's largest page, and ids a CSV must quote (a comma, a quote) or a URL escape.
        var customers = Enumerable.Range(0, 1500).Select(i => $"{run}-{i:D4}").Append($"{run}-x,\"quoted\"/é").ToList();
        await PostEventsAsync(fixture, type, customers);
        var segment = $"cli-export-{run}";
        (await _cli.RunAsync(AsAdmin(fixture, "segments", "create", segment, "--rule", $"count({type}, 30d) >= 1"))).Exits(0);
        await WaitForCountAsync(fixture, segment, customers.Count);
        var expected = await MembersAsync(fixture, segment);

        var file = Path.Combine(_cli.Home, "members.csv");
        var toFile = (await _cli.RunAsync(AsAdmin(fixture, "members", "export", segment, "--csv", "--output", file))).Exits(0);
        Assert.Equal("", toFile.Stdout);
        Assert.Contains($"1,501 members of {segment} written to", toFile.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("%", toFile.Stderr, StringComparison.Ordinal);
        var records = ReadCsv(await File.ReadAllTextAsync(file));

        Assert.Equal(["customerId", "enteredAt", "cause"], records[0]);
        Assert.Equal(expected.Select(m => new[] { m.CustomerId, m.EnteredAt, m.Cause ?? "" }), records.Skip(1));
        Assert.Contains(records, r => r[0] == $"{run}-x,\"quoted\"/é");

        // The same bytes on standard output, for a pipe.
        var toStdout = (await _cli.RunAsync(AsAdmin(fixture, "members", "export", segment, "--csv"))).Exits(0);
        Assert.Equal(await File.ReadAllTextAsync(file), toStdout.Stdout);

        var json = (await _cli.RunAsync(AsAdmin(fixture, "members", "export", segment, "--json"))).Exits(0).Json;
        Assert.Equal(expected.Count, json.GetProperty("count").GetInt64());
        Assert.Equal(expected.Select(m => m.CustomerId), json.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("customerId").GetString()));

        // The customer id with a '/' and a comma is one customer for the customer routes too.
        var odd = (await _cli.RunAsync(AsAdmin(fixture, "customers", "show", $"{run}-x,\"quoted\"/é", "--json"))).Exits(0).Json;
        Assert.Equal(segment, odd.GetProperty("segments").EnumerateArray().Single(s => s.GetProperty("id").GetString() == segment).GetProperty("id").GetString());
    }

    [Fact]
    public async Task On_a_terminal_an_export_draws_a_progress_bar_and_the_file_holds_only_the_data()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var type = $"cli_{run}";
        await PostEventsAsync(fixture, type, Enumerable.Range(0, 20).Select(i => $"{run}-{i:D2}"));
        var segment = $"cli-bar-{run}";
        (await _cli.RunAsync(AsAdmin(fixture, "segments", "create", segment, "--rule", $"count({type}, 30d) >= 1"))).Exits(0);
        await WaitForCountAsync(fixture, segment, 20);
        var file = Path.Combine(_cli.Home, "bar.csv");

        var terminal = (await _cli.RunOnTerminalAsync(AsAdmin(fixture, "members", "export", segment, "--csv", "-o", file))).Exits(0);

        Assert.Contains($"exporting {segment}", terminal.Stdout, StringComparison.Ordinal);
        Assert.Contains("100%", terminal.Stdout, StringComparison.Ordinal);
        string[] expected = ["customerId,enteredAt,cause", .. (await MembersAsync(fixture, segment)).Select(m => $"{m.CustomerId},{m.EnteredAt},{m.Cause}")];
        Assert.Equal(expected, await File.ReadAllLinesAsync(file));
    }

    [Fact]
    public async Task Exporting_an_unknown_segment_exits_2_and_leaves_no_file()
    {
        var file = Path.Combine(_cli.Home, "none.csv");

        var result = (await _cli.RunAsync(AsAdmin(fixture, "members", "export", $"cli-none-{Guid.NewGuid().ToString("N")[..8]}", "--csv", "-o", file))).Exits(2);

        Assert.Contains("no segment", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.Empty(Directory.GetFiles(_cli.Home, "none.csv*"));
    }

    public void Dispose() => _cli.Dispose();
}
