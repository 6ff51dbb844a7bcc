using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests.Cli;

/// <summary><c>customergrains import</c>: the importer's options and behaviour, from the command line.</summary>
[Collection(ApiCollection.Name)]
public sealed class CliImportTests(ApiFixture fixture) : IDisposable
{
    private readonly CliProcess _cli = new();

    [Fact]
    public async Task An_import_stops_at_a_bad_line_with_exit_code_4_and_the_same_command_resumes_after_the_fix()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(_cli.Home, "history.ndjson");
        var lines = Enumerable.Range(1, 300).Select(n =>
            $$"""{"id": "{{run}}-{{n}}", "customerId": "{{run}}-c{{n % 10}}", "type": "visit", "timestamp": "2026-10-01T00:00:00Z"}""").ToArray();
        var good = lines[149];
        lines[149] = $$"""{"id": "{{run}}-150", "customerId": "{{run}}-c0", "type": "Not A Type", "timestamp": "2026-10-01T00:00:00Z"}""";
        await File.WriteAllLinesAsync(file, lines);

        // The importer's own options: --api (the URL), --key, --store, --batch.
        string[] command = ["import", file, "--api", fixture.Api.BaseAddress.ToString(), "--key", AdminA, "--store", "shop-a", "--batch", "50"];
        var stopped = (await _cli.RunAsync([.. command, "--json"])).Exits(4).Json;
        Assert.Equal(150, stopped.GetProperty("failedLine").GetInt64());
        Assert.Equal(100, stopped.GetProperty("accepted").GetInt64());
        Assert.Contains("line 150: type", stopped.GetProperty("failure").GetString(), StringComparison.Ordinal);
        Assert.Equal(100, await EventsAsync(run));

        lines[149] = good;
        await File.WriteAllLinesAsync(file, lines);
        var resumed = (await _cli.RunAsync(command)).Exits(0);
        Assert.Equal("lines 200, accepted 200, duplicates 0\n", resumed.Stdout);
        Assert.Equal(300, await EventsAsync(run));

        var again = (await _cli.RunAsync([.. command, "--restart"])).Exits(0);
        Assert.Equal("lines 300, accepted 0, duplicates 300\n", again.Stdout);
    }

    [Fact]
    public async Task A_CSV_without_a_header_imports_through_a_mapping_by_column_position()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(_cli.Home, "orders.csv");
        await File.WriteAllLinesAsync(file, [$"{run}-o1;{run}-ann;19970101;29.33", $"{run}-o2;{run}-ann;1997-01-18;11.77"]);

        var result = (await _cli.RunAsync("import", file, "--csv", "id=1,customerId=2,type=@order_completed,timestamp=3,properties.revenue=4",
            "--delimiter", ";", "--no-header", "--url", fixture.Api.BaseAddress.ToString(), "--key", AdminA, "--store", "shop-a")).Exits(0);

        Assert.Equal("lines 2, accepted 2, duplicates 0\n", result.Stdout);
        using var client = fixture.Client(AdminA);
        var ann = await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{run}-ann");
        Assert.Equal(41.1, ann.GetProperty("traits").GetProperty("revenue").GetDouble(), precision: 6);

        (await _cli.RunAsync("import", Path.Combine(_cli.Home, "missing.ndjson"))).Exits(1);
        (await _cli.RunAsync("import", file, "--csv", "id=1", "--url", fixture.Api.BaseAddress.ToString())).Exits(1);
    }

    [Fact]
    public async Task On_a_terminal_an_import_draws_a_progress_bar_and_prints_its_totals()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(_cli.Home, "visits.ndjson");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 2000).Select(n =>
            $$"""{"id": "{{run}}-{{n}}", "customerId": "{{run}}-c{{n % 10}}", "type": "visit", "timestamp": "2026-10-01T00:00:00Z"}"""));

        var terminal = (await _cli.RunOnTerminalAsync("import", file, "--url", fixture.Api.BaseAddress.ToString(), "--key", AdminA, "--store", "shop-a")).Exits(0);

        Assert.Contains("importing", terminal.Stdout, StringComparison.Ordinal);
        Assert.Contains("100%", terminal.Stdout, StringComparison.Ordinal);
        Assert.Contains("lines 2,000, accepted 2,000, duplicates 0", terminal.Stdout, StringComparison.Ordinal);
        Assert.Equal(2000, await EventsAsync(run));

        // --quiet: the totals alone.
        var quiet = (await _cli.RunOnTerminalAsync("import", file, "--restart", "--quiet", "--url", fixture.Api.BaseAddress.ToString(), "--key", AdminA, "--store", "shop-a")).Exits(0);
        Assert.DoesNotContain("%", quiet.Stdout, StringComparison.Ordinal);
        Assert.Contains("lines 2,000, accepted 0, duplicates 2,000", quiet.Stdout, StringComparison.Ordinal);
    }

    private async Task<long> EventsAsync(string run)
    {
        using var client = fixture.Client(AdminA);
        var total = 0L;
        for (var c = 0; c < 10; c++)
        {
            var response = await client.GetAsync($"/v1/stores/shop-a/customers/{run}-c{c}");
            if (response.IsSuccessStatusCode)
            {
                total += (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traits").GetProperty("events").GetInt64();
            }
        }

        return total;
    }

    public void Dispose() => _cli.Dispose();
}
