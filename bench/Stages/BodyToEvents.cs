using System.Collections.Immutable;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Stages;

/// <summary>
/// Stage 1, the HTTP body to events: a 1000-event request of the load generator's mix read as a JSON document (as the
/// Api's <c>JsonBody</c> does: over a copy of the body, then its UTF-8 check), validated and mapped by
/// <see cref="EventParser.ParseBatch"/>. Per event.
/// </summary>
[Config(typeof(StageConfig))]
public class BodyToEvents
{
    private Workload _workload = null!;
    private JsonDocument[] _documents = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(requests: 4, warm: false);
        _documents = [.. _workload.Bodies.Select(b => JsonDocument.Parse(b, Workload.DocumentOptions))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }
    }

    [Benchmark(Description = "body → events (document + ParseBatch)", OperationsPerInvoke = Workload.EventsPerRequest)]
    public ImmutableArray<CustomerEvent> Whole() => Workload.Parse(_workload.Bodies[_next++ % _workload.Bodies.Length]);

    [Benchmark(Description = "JSON document + UTF-8 check", OperationsPerInvoke = Workload.EventsPerRequest)]
    public int Document()
    {
        var body = _workload.Bodies[_next++ % _workload.Bodies.Length];
        using var document = JsonDocument.Parse(new MemoryStream(body, 0, body.Length, writable: false), Workload.DocumentOptions);
        return JsonText.UndecodableString(body) is null ? document.RootElement.GetArrayLength() : -1;
    }

    [Benchmark(Description = "ParseBatch (validate + map)", OperationsPerInvoke = Workload.EventsPerRequest)]
    public ImmutableArray<CustomerEvent> Validate() => EventParser.ParseBatch(_documents[_next++ % _documents.Length].RootElement, Workload.Now).Events;
}
