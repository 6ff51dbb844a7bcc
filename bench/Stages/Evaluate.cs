using BenchmarkDotNet.Attributes;
using CustomerGrains.Grains.Evaluation;

namespace CustomerGrains.Stages;

/// <summary>
/// Stage 3 alone: the segment evaluation each customer a request touches gets, over the 20 benchmark segments and the 6
/// lifecycle ones (as bench/Evaluation). <see cref="AfterTouch"/>: the grain's pass after a request (its memo, only the
/// segments reading what the request's events changed; the events are not applied, so the decisions stay the same);
/// <see cref="Full"/>: every segment, as an activation's first pass. One request's customers per invocation, per event.
/// </summary>
[Config(typeof(StageConfig))]
public class Evaluate
{
    private Workload _workload = null!;
    private Customer[][] _requests = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(requests: 4);
        _requests = _workload.WarmCustomers();
    }

    [Benchmark(Description = "evaluate after a touch (memo, touched segments)", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int AfterTouch()
    {
        var decided = 0;
        foreach (var c in _requests[_next++ % _requests.Length])
        {
            var changes = new StateChanges();
            foreach (var e in c.Events)
            {
                changes.Accepted(e);
            }

            decided += SegmentEvaluation.Evaluate(c.State, c.Id, _workload.Catalog, Workload.Now, Cause, _workload.Population, changes, c.Memo).Decided.Length;
        }

        return decided;
    }

    [Benchmark(Description = "evaluate, every segment (first pass)", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Full()
    {
        var decided = 0;
        foreach (var c in _requests[_next++ % _requests.Length])
        {
            decided += SegmentEvaluation.Evaluate(c.State, c.Id, _workload.Catalog, Workload.Now, Cause, _workload.Population).Decided.Length;
        }

        return decided;
    }

    private static string Cause(Grains.Segments.SegmentDefinition definition) => "bench";
}
