using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using CustomerGrains.Import;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>Bulk history import: streamed, resumable, never half-applied, never double counted.</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportTests(ApiFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cg-import-").FullName;

    [Fact]
    public async Task A_bad_line_stops_the_import_there_and_a_rerun_after_the_fix_resumes_without_double_counting()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var file = Path.Combine(_folder, "history.ndjson");
        var lines = Enumerable.Range(1, 2000).Select(n =>
            $$"""{"id": "{{run}}-{{n}}", "customerId": "{{run}}-c{{n % 50}}", "type": "visit", "timestamp": "2026-10-01T00:00:00Z"}""").ToArray();
        var good = lines[1233];
        lines[1233] = $$"""{"id": "{{run}}-1234", "customerId": "{{run}}-c34", "type": "Not A Type", "timestamp": "2026-10-01T00:00:00Z"}""";
        await File.WriteAllLinesAsync(file, lines);
        var options = new ImportOptions(file, fixture.Api.BaseAddress, AdminA, "shop-a", null, BatchSize: 100, InFlight: 4);

        var first = await new Importer(options).RunAsync();

        Assert.False(first.Succeeded);
        Assert.Equal(1234, first.FailedLine);
        Assert.Contains("line 1234: type", first.Failure, StringComparison.Ordinal);
        Assert.Equal(1200, first.Accepted);
        Assert.Equal(1200, await EventsAsync(run));

        lines[1233] = good;
        await File.WriteAllLinesAsync(file, lines);
        var resumed = await new Importer(options).RunAsync();
        Assert.True(resumed.Succeeded, resumed.Failure);
        Assert.Equal((800, 0, 800), (resumed.Accepted, resumed.Duplicates, resumed.Lines));
        Assert.Equal(2000, await EventsAsync(run));

        var nothingLeft = await new Importer(options).RunAsync();
        Assert.Equal(0, nothingLeft.Lines);

        File.Delete(options.CheckpointFile);
        var again = await new Importer(options).RunAsync();
        Assert.Equal((0, 2000), (again.Accepted, again.Duplicates));
        Assert.Equal(2000, await EventsAsync(run));
    }

    [Fact]
    public async Task A_CSV_export_imports_through_a_column_mapping()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var file = Path.Combine(_folder, "orders.csv");
        await File.WriteAllLinesAsync(file,
        [
            "order,customer,date,amount,note",
            $"{run}-o1,{run}-ann,19970101,29.33,\"first, with a comma\"",
            $"{run}-o2,{run}-ann,19970118,\"11.77\",",
            $"{run}-o3,{run}-ben,1997-02-02,5,",
        ]);
        var mapping = CsvMapping.Parse("id=order,customerId=customer,type=@order_completed,timestamp=date,properties.revenue=amount,properties.note=note", ',', header: true);
        var options = new ImportOptions(file, fixture.Api.BaseAddress, AdminA, "shop-a", mapping);

        var result = await new Importer(options).RunAsync();

        Assert.True(result.Succeeded, result.Failure);
        Assert.Equal(3, result.Accepted);
        using var client = fixture.Client(AdminA);
        var ann = await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{run}-ann");
        Assert.Equal(2, ann.GetProperty("traits").GetProperty("orders").GetInt32());
        Assert.Equal(41.1, ann.GetProperty("traits").GetProperty("revenue").GetDouble(), precision: 6);
        Assert.Equal("1997-01-01T00:00:00.000Z", ann.GetProperty("traits").GetProperty("firstOrderAt").GetString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_line_with_an_escaped_lone_surrogate_is_named_rather_than_crashing_the_import()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var file = Path.Combine(_folder, "surrogate.ndjson");
        await File.WriteAllLinesAsync(file,
        [
            $$"""{"id": "{{run}}-1", "customerId": "{{run}}-c", "type": "visit", "timestamp": "2026-10-01T00:00:00Z"}""",
            $$"""{"id": "{{run}}-2", "customerId": "{{run}}-\ud800", "type": "visit", "timestamp": "2026-10-01T00:00:00Z"}""",
        ]);
        var options = new ImportOptions(file, fixture.Api.BaseAddress, AdminA, "shop-a", null, BatchSize: 100, InFlight: 1);

        var result = await new Importer(options).RunAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedLine);
        Assert.Contains("surrogate", result.Failure, StringComparison.Ordinal);
        using var client = fixture.Client(AdminA);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"/v1/stores/shop-a/customers/{run}-c")).StatusCode);
    }

    private async Task<long> EventsAsync(string run)
    {
        using var client = fixture.Client(AdminA);
        var total = 0L;
        for (var c = 0; c < 50; c++)
        {
            var response = await client.GetAsync($"/v1/stores/shop-a/customers/{run}-c{c}");
            if (response.IsSuccessStatusCode)
            {
                total += (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traits").GetProperty("events").GetInt64();
            }
        }

        return total;
    }
}
