using CustomerGrains.Api.Tests.Infrastructure;
using Xunit.Abstractions;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// Faults on real processes under sustained ingest: a silo killed, PostgreSQL crashed and restarted, a silo
/// frozen and thawed, silos added and removed. Each time, every acknowledged event counts exactly once and
/// every segment equals its recount from customer state. Figures (recovery times) go to the test output.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FaultTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Killing_one_of_three_silos_mid_ingest_loses_nothing_acknowledged_and_counts_nothing_twice()
    {
        await using var cluster = await FaultCluster.StartAsync(postgres, silos: 3);
        await cluster.CreateSegmentAsync();
        await using var load = new IngestLoad(cluster.Api.BaseAddress, AdminA);
        load.Start();
        Assert.True(await load.WaitForMoreAsync(10, Patience), "no ingest before the fault");

        var killedAt = load.Now;
        await cluster.Silos[1].KillAsync();
        var declared = Task.Run(async () =>
        {
            await cluster.WaitForSilosAsync(2, Patience);
            return load.Now;
        });
        Assert.True(await load.WaitForMoreAsync(30, Patience), "ingest did not resume after the kill");
        var declaredAt = await declared;
        await load.StopAsync(Patience);

        var attempts = load.Attempts;
        var firstAfter = attempts.Where(a => a.Ok && a.At >= killedAt).Min(a => a.End) - killedAt;
        var failures = attempts.Where(a => !a.Ok).ToList();
        var lastFailure = failures.Count == 0 ? "no client saw a failure" : $"the last failed attempt ended {(failures.Max(a => a.End) - killedAt).TotalSeconds:F1} s after the kill";
        output.WriteLine($"kill -9: declared dead after {(declaredAt - killedAt).TotalSeconds:F1} s; first acknowledged request sent after the kill {firstAfter.TotalSeconds:F1} s later; " +
            $"{lastFailure}; {Summary(attempts)}");
        AssertOnlyRetryableFailures(attempts, cluster.Api);
        await cluster.AssertExactlyOnceAsync(load);
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_requests_fail_fast_with_503_and_the_cluster_recovers_by_itself()
    {
        await using var cluster = await FaultCluster.StartAsync(postgres, silos: 2);
        await cluster.CreateSegmentAsync();
        await using var load = new IngestLoad(cluster.Api.BaseAddress, AdminA);
        load.Start();
        Assert.True(await load.WaitForMoreAsync(10, Patience), "no ingest before the fault");

        IReadOnlyList<IngestLoad.Attempt> DuringOutage(TimeSpan from) => [.. load.Attempts.Where(a => a.At >= from)];
        var downAt = load.Now;
        try
        {
            await postgres.KillAsync();
            downAt = load.Now;

            // Down for a while, long enough for every worker to have been answered several times.
            var limit = downAt + Patience;
            while (load.Now - downAt < TimeSpan.FromSeconds(6) || DuringOutage(downAt).Count < 8)
            {
                Assert.True(load.Now < limit, $"requests were not answered while PostgreSQL was down: {Summary(DuringOutage(downAt))}");
                await Task.Delay(100);
            }
        }
        finally
        {
            await postgres.ResumeAsync();
        }

        var backAt = load.Now;
        var outage = DuringOutage(downAt).Where(a => a.End <= backAt).ToList();
        Assert.True(await load.WaitForMoreAsync(15, Patience), "ingest was not acknowledged again after PostgreSQL came back");
        await load.StopAsync(Patience);

        var recovered = load.Attempts.Where(a => a.Ok && a.End >= backAt).Min(a => a.End) - backAt;
        var slowest = outage.Max(a => a.Took);
        output.WriteLine($"PostgreSQL down {(backAt - downAt).TotalSeconds:F1} s: {outage.Count} answers while down, slowest {slowest.TotalSeconds:F2} s; " +
            $"first acknowledgement {recovered.TotalSeconds:F1} s after it was back; {Summary(load.Attempts)}");
        Assert.All(outage, a =>
        {
            Assert.True(a.Ok || (a.Status == 503 && a.RetryAfter), $"while PostgreSQL was down: {a}");
            Assert.True(a.Took < TimeSpan.FromSeconds(15), $"a request hung while PostgreSQL was down: {a}");
        });
        Assert.Contains(outage, a => a.Status == 503);
        AssertOnlyRetryableFailures(load.Attempts, cluster.Api);
        await cluster.AssertExactlyOnceAsync(load);
    }

    [Fact]
    public async Task A_frozen_silo_is_declared_dead_its_grains_move_and_when_it_thaws_it_leaves_without_corrupting_anything()
    {
        await using var cluster = await FaultCluster.StartAsync(postgres, silos: 3);
        await cluster.CreateSegmentAsync();
        await using var load = new IngestLoad(cluster.Api.BaseAddress, AdminA);
        load.Start();
        Assert.True(await load.WaitForMoreAsync(10, Patience), "no ingest before the fault");

        var frozen = cluster.Silos[1];
        var pausedAt = load.Now;
        await frozen.PauseAsync();
        await cluster.WaitForSilosAsync(2, Patience);
        var declaredAt = load.Now;
        Assert.True(await load.WaitForMoreAsync(20, Patience), "ingest did not resume on the other silos while one was frozen");
        var resumedAt = load.Now;
        Assert.False(frozen.HasExited);
        await frozen.ResumeAsync();

        // Thawed, it reads that it was declared dead and stops: it must not rejoin with its stale activations.
        var exitLimit = DateTime.UtcNow + Patience;
        while (!frozen.HasExited)
        {
            Assert.True(DateTime.UtcNow < exitLimit, "the thawed silo kept running after it was declared dead");
            await Task.Delay(200);
        }

        var exitedAt = load.Now;
        Assert.True(await load.WaitForMoreAsync(15, Patience), "ingest stalled after the frozen silo thawed");
        await load.StopAsync(Patience);

        var attempts = load.Attempts;
        var firstAfter = attempts.Where(a => a.Ok && a.At >= declaredAt).Min(a => a.End) - pausedAt;
        output.WriteLine($"SIGSTOP: declared dead {(declaredAt - pausedAt).TotalSeconds:F1} s after the pause; acknowledged on the others " +
            $"{firstAfter.TotalSeconds:F1} s after the pause; thawed at {(resumedAt - pausedAt).TotalSeconds:F1} s, exited {(exitedAt - resumedAt).TotalSeconds:F1} s later; {Summary(attempts)}");
        var refused = frozen.Output.Split('\n').Count(line => line.Contains("journal writes are refused", StringComparison.Ordinal));
        output.WriteLine($"the thawed silo had {refused} journal commits refused by the membership fence");
        Assert.Contains(attempts, a => a.Ok && a.At >= declaredAt && a.End <= resumedAt);
        AssertOnlyRetryableFailures(attempts, cluster.Api);
        await cluster.AssertExactlyOnceAsync(load);
    }

    [Fact]
    public async Task Adding_a_silo_and_removing_one_gracefully_under_traffic_costs_clients_nothing()
    {
        await using var cluster = await FaultCluster.StartAsync(postgres, silos: 2);
        await cluster.CreateSegmentAsync();
        await using var load = new IngestLoad(cluster.Api.BaseAddress, AdminA);
        load.Start();
        Assert.True(await load.WaitForMoreAsync(10, Patience), "no ingest before scaling");

        await cluster.AddSiloAsync();
        await cluster.WaitForSilosAsync(3, Patience);
        Assert.True(await load.WaitForMoreAsync(15, Patience), "ingest stalled after a silo joined");

        Assert.True(await cluster.Silos[0].TerminateAsync(Patience), "the silo did not shut down on SIGTERM");
        await cluster.WaitForSilosAsync(2, Patience);
        Assert.True(await load.WaitForMoreAsync(15, Patience), "ingest stalled after a silo left");
        await load.StopAsync(Patience);

        var attempts = load.Attempts;
        output.WriteLine($"scale out and in: {Summary(attempts)}");
        AssertOnlyRetryableFailures(attempts, cluster.Api);
        Assert.All(attempts, a => Assert.True(a.Ok, $"a client saw a failure while silos joined and left: {a}"));
        await cluster.AssertExactlyOnceAsync(load);
    }

    /// <summary>A client may see 503 (with Retry-After), its own timeout or a refused connection; never another error.</summary>
    private void AssertOnlyRetryableFailures(IReadOnlyList<IngestLoad.Attempt> attempts, HostProcess api)
    {
        if (attempts.Any(a => a.Status is not (null or 200 or 503)))
        {
            // What the Api logged about them (route, status, exception type and frame; never a payload).
            foreach (var line in api.Output.Split('\n').Where(l => l.Contains("answered 5", StringComparison.Ordinal)))
            {
                output.WriteLine($"api: {line.Trim()}");
            }
        }

        Assert.All(attempts, a => Assert.True(a.Ok || a.Status is null || (a.Status == 503 && a.RetryAfter), $"not a retryable failure: {a}"));
    }

    private static string Summary(IReadOnlyList<IngestLoad.Attempt> attempts) =>
        $"{attempts.Count(a => a.Ok)} batches acknowledged, {attempts.Count(a => a.Status == 503)} × 503, " +
        $"{attempts.Count(a => a.Status is null)} timeouts or connection errors, {attempts.Count(a => a.Status is not (null or 200 or 503))} other";
}
