using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Cli.CliTestData;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests.Cli;

/// <summary><c>customergrains customers …</c>: look a customer up, export, erase, lift the suppression; and <c>reconcile</c>.</summary>
[Collection(ApiCollection.Name)]
public sealed class CliCustomerTests(ApiFixture fixture) : IDisposable
{
    private readonly CliProcess _cli = new();

    [Fact]
    public async Task A_customer_is_shown_exported_erased_and_unsuppressed_from_the_command_line()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var customer = $"{run}-ann";
        await PostEventsAsync(fixture, "visit", [customer], repeats: 3);

        var shown = (await _cli.RunAsync(AsAdmin(fixture, "customers", "show", customer, "--json"))).Exits(0).Json;
        Assert.Equal(customer, shown.GetProperty("customerId").GetString());
        Assert.Equal(3, shown.GetProperty("traits").GetProperty("events").GetInt64());
        var text = (await _cli.RunAsync(AsAdmin(fixture, "customers", "show", customer))).Exits(0).Stdout;
        Assert.StartsWith($"customer {customer}\n", text, StringComparison.Ordinal);
        Assert.Contains("events", text, StringComparison.Ordinal);

        var file = Path.Combine(_cli.Home, "ann.json");
        (await _cli.RunAsync(AsAdmin(fixture, "customers", "export", customer, "-o", file))).Exits(0);
        using (var export = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
            Assert.Equal([$"visit-{customer}-0", $"visit-{customer}-1", $"visit-{customer}-2"],
                export.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()).Order());
        }

        // Without a terminal to ask on, an erasure needs --yes; nothing is erased before.
        (await _cli.RunAsync(AsAdmin(fixture, "customers", "erase", customer))).Exits(1);
        (await _cli.RunAsync(AsAdmin(fixture, "customers", "show", customer))).Exits(0);

        var erased = (await _cli.RunAsync(AsAdmin(fixture, "customers", "erase", customer, "--yes", "--json"))).Exits(0).Json;
        Assert.True(erased.GetProperty("suppressed").GetBoolean());
        var gone = (await _cli.RunAsync(AsAdmin(fixture, "customers", "show", customer))).Exits(2);
        Assert.Equal($"error: no customer '{customer}' in this store\n", gone.Stderr);
        using var client = fixture.Client(AdminA);
        var late = await client.PostAsJsonAsync("/v1/stores/shop-a/events", new[] { new { id = $"{run}-late", customerId = customer, type = "visit", timestamp = DateTimeOffset.UtcNow.ToString("O") } });
        Assert.Equal($"{run}-late", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suppressed")[0].GetString());

        (await _cli.RunAsync(AsAdmin(fixture, "customers", "unsuppress", customer))).Exits(0);
        (await _cli.RunAsync(AsAdmin(fixture, "customers", "unsuppress", customer))).Exits(2);
        var again = await client.PostAsJsonAsync("/v1/stores/shop-a/events", new[] { new { id = $"{run}-again", customerId = customer, type = "visit", timestamp = DateTimeOffset.UtcNow.ToString("O") } });
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/stores/shop-a/customers/{customer}")).StatusCode);
    }

    [Fact]
    public async Task Reconcile_reports_the_store_consistent_with_exit_code_0()
    {
        var report = (await _cli.RunAsync(AsAdmin(fixture, "reconcile", "--json"))).Exits(0).Json;

        Assert.True(report.GetProperty("consistent").GetBoolean());
        Assert.True(report.GetProperty("customers").GetInt64() > 0);
        var text = (await _cli.RunAsync(AsAdmin(fixture, "reconcile"))).Exits(0).Stdout;
        Assert.Contains("consistent: ", text, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
