using System.Net;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.Manifests;

namespace CustomerGrains.Api.Tests;

/// <summary>The probe paths the manifests name, asked of a real silo and a real client-mode Api.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeployProbeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Every_probe_path_in_the_manifests_answers_200_on_the_process_it_probes()
    {
        var database = await postgres.CreateDatabaseAsync();
        var cluster = new Dictionary<string, string>
        {
            ["CustomerGrains__PostgreSql"] = database,
            ["CustomerGrains__ClusterId"] = "probes",
            ["CustomerGrains__SiloPort"] = HostProcess.FreePortText(),
            ["CustomerGrains__GatewayPort"] = HostProcess.FreePortText(),
        };
        await using var silo = HostProcess.Silo(cluster);
        await silo.StartAsync();
        await using var api = HostProcess.ClusterClient(new Dictionary<string, string> { ["CustomerGrains__PostgreSql"] = database, ["CustomerGrains__ClusterId"] = "probes" });
        await api.StartAsync();

        foreach (var (process, workload) in new[] { (silo, Resource("StatefulSet", "customergrains-silo")), (api, Resource("Deployment", "customergrains-api")) })
        {
            using var http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var probes = DeployManifestTests.Probes(Container(workload)).ToList();
            Assert.NotEmpty(probes);
            foreach (var (kind, path, _) in probes)
            {
                Assert.True((await http.GetAsync(path)).StatusCode == HttpStatusCode.OK, $"{Text(workload, "metadata", "name")} {kind} {path}");
            }
        }
    }
}
