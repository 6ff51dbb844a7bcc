using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace CustomerGrains.Stages;

/// <summary>
/// Short and repeatable: one process per benchmark, 3 warm-up and 8 measured iterations, workstation non-concurrent GC
/// (collections run on the measured thread, so their time counts in the stage's), allocations per operation.
/// </summary>
public class StageConfig : ManualConfig
{
    public StageConfig()
        : this(Job.Default)
    {
    }

    protected StageConfig(Job job)
    {
        AddJob(job.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8)
            .WithGcServer(false).WithGcConcurrent(false));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
