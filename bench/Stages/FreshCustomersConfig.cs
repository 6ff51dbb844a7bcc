using BenchmarkDotNet.Jobs;

namespace CustomerGrains.Stages;

/// <summary>
/// For stages that change the customers they run on (apply, decide): each iteration starts from fresh warm customers
/// (an iteration setup), then runs <see cref="Requests"/> requests, one per invocation.
/// </summary>
public sealed class FreshCustomersConfig : StageConfig
{
    public const int Requests = 16;

    public FreshCustomersConfig()
        : base(Job.Default.WithInvocationCount(Requests).WithUnrollFactor(1))
    {
    }
}
