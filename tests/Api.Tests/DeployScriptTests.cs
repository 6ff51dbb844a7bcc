using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using Npgsql;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// <c>deploy/cluster.sh</c> as ops run it: one command starts PostgreSQL, silos and the Api; silos are added
/// and removed by hand; one command stops everything. Runs on ports and a state folder of its own.
/// </summary>
public sealed class DeployScriptTests
{
    private const int MembershipDead = 6;

    private readonly string _state = Path.Combine(Path.GetTempPath(), $"cg-cluster-{Guid.NewGuid():N}");
    private readonly string _apiPort = HostProcess.FreePortText();
    private readonly string _pgPort = HostProcess.FreePortText();
    // Silo i listens on base + i: three ports of each kind (two silos, then one added), from one free block.
    private static readonly int Ports = int.Parse(HostProcess.FreePortBlockText(9), CultureInfo.InvariantCulture);
    private readonly string _siloPort = Ports.ToString(CultureInfo.InvariantCulture);
    private readonly string _gatewayPort = (Ports + 3).ToString(CultureInfo.InvariantCulture);
    private readonly string _httpPort = (Ports + 6).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Starts_scales_out_and_in_and_stops_a_local_cluster_leaving_no_process_behind()
    {
        // The whole scenario, stop included, is bounded; a hung step fails the test instead of the suite.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(115));
        var processes = new HashSet<int>();
        try
        {
            await RunAsync(budget.Token, "start", "2");
            processes.UnionWith(Pids());
            Assert.Equal(3, processes.Count); // two silos and the Api
            processes.Add(PostgresPid());
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}"), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminA);
            Assert.Equal(2, await ReadySilosAsync(client));

            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/stores/shop-a/segments",
                JsonBody("""{"id": "buyers", "name": "Buyers", "rule": "orders >= 1"}"""), budget.Token)).StatusCode);
            Assert.Equal("""{"accepted":30,"duplicates":0}""", await PostOrdersAsync(client, 0, 30, budget.Token));
            Assert.Equal(30, await CountAsync(client, budget.Token));

            await RunAsync(budget.Token, "add");
            processes.UnionWith(Pids());
            Assert.Equal(3, await ReadySilosAsync(client));
            Assert.Equal("""{"accepted":30,"duplicates":0}""", await PostOrdersAsync(client, 30, 60, budget.Token));
            Assert.Equal(60, await CountAsync(client, budget.Token));

            await RunAsync(budget.Token, "remove");
            Assert.Equal(2, await ReadySilosAsync(client));
            Assert.Equal(MembershipDead, await MembershipStatusAsync("silo-2", budget.Token));
            Assert.Equal(60, await CountAsync(client, budget.Token));
            var customer = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/customers/c59", budget.Token);
            Assert.Equal(59, customer.GetProperty("traits").GetProperty("revenue").GetDouble());
            Assert.Equal("""{"accepted":0,"duplicates":60}""", await PostOrdersAsync(client, 0, 60, budget.Token));

            await RunAsync(budget.Token, "stop");
            Assert.DoesNotContain(processes, Running);
            Assert.False(Directory.Exists(_state));
            Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), $"customergrains-pg-{_pgPort}")));
        }
        finally
        {
            if (Directory.Exists(_state))
            {
                using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await RunAsync(cleanup.Token, "stop", check: false);
            }

            foreach (var pid in processes.Where(Running))
            {
                try
                {
                    Process.GetProcessById(pid).Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Gone meanwhile.
                }
            }
        }
    }

    private async Task<string> RunAsync(CancellationToken ct, string command, string? argument = null, bool check = true)
    {
        var root = RepositoryRoot.Find();
        var start = new ProcessStartInfo("bash", argument is null ? [Path.Combine(root, "deploy", "cluster.sh"), command] : [Path.Combine(root, "deploy", "cluster.sh"), command, argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CG_CLUSTER_STATE"] = _state;
        start.Environment["CG_CLUSTER_API_PORT"] = _apiPort;
        start.Environment["CG_CLUSTER_PG_PORT"] = _pgPort;
        start.Environment["CG_CLUSTER_SILO_PORT"] = _siloPort;
        start.Environment["CG_CLUSTER_GATEWAY_PORT"] = _gatewayPort;
        start.Environment["CG_CLUSTER_HTTP_PORT"] = _httpPort;
        start.Environment["CG_CLUSTER_ID"] = "deploy-test";
        start.Environment["CG_CLUSTER_CONFIGURATION"] = RepositoryRoot.Configuration();
        foreach (var (key, value) in Keys)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/cluster.sh {command} did not finish in time:\n{await errors}\n{Logs()}");
        }

        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/cluster.sh {command} failed ({process.ExitCode}):\n{await errors}\n{Logs()}");
        }

        return await output;
    }

    private IEnumerable<int> Pids() =>
        Directory.GetFiles(_state, "*.pid").Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture)).ToList();

    private int PostgresPid() =>
        int.Parse(File.ReadLines(Path.Combine(Path.GetTempPath(), $"customergrains-pg-{_pgPort}", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    private string Logs() => Directory.Exists(_state)
        ? string.Join("\n", Directory.GetFiles(_state, "*.log").Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"))
        : "";

    /// <summary>Alive and not a zombie (a zombie has exited; only its parent has not read its status yet).</summary>
    private static bool Running(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<int> ReadySilosAsync(HttpClient client)
    {
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        return ready.GetProperty("silos").GetInt32();
    }

    private static async Task<string> PostOrdersAsync(HttpClient client, int from, int to, CancellationToken ct)
    {
        var events = string.Join(",", Enumerable.Range(from, to - from).Select(i =>
            $$$"""{"id": "o-{{{i}}}", "customerId": "c{{{i}}}", "type": "order_completed", "timestamp": "2026-11-20T10:00:00Z", "properties": {"revenue": {{{i}}}}}"""));
        var response = await client.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{events}]"), ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private static async Task<long> CountAsync(HttpClient client, CancellationToken ct) =>
        (await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments/buyers/count", ct)).GetProperty("count").GetInt64();

    /// <summary>A gracefully stopped silo marks its own membership row dead; a killed one leaves it active.</summary>
    private async Task<int> MembershipStatusAsync(string silo, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = int.Parse(_pgPort, CultureInfo.InvariantCulture),
            Username = "customergrains",
            Password = "customergrains",
            Database = "customergrains",
            Pooling = false,
        };
        await using var database = new NpgsqlConnection(connection.ConnectionString);
        await database.OpenAsync(ct);
        await using var query = new NpgsqlCommand("SELECT Status FROM OrleansMembershipTable WHERE SiloName = @name ORDER BY Generation DESC LIMIT 1", database);
        query.Parameters.AddWithValue("name", silo);
        return (int)(await query.ExecuteScalarAsync(ct))!;
    }
}
