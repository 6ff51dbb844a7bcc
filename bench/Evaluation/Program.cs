// Rule evaluation per customer, alone: what the customer grain does for every touched customer
// (decide its memberships over every segment, then its next deadline), without Orleans, storage or HTTP.
//
//   dotnet run -c Release --project bench/Evaluation [-- --customers N] [--passes P] [--rounds R]
//   dotnet run -c Release --project bench/Evaluation -- --memory [--customers N]   (see MemoryReport)
//   dotnet run -c Release --project bench/Evaluation -- --touched [...]              (incremental passes)
//
// Builds N customers (30–60 events over 120 days: visits, product views with a category, cart adds,
// orders with revenue, an identify), compiles the load generator's 20 segments plus the 6 lifecycle
// segments the way the silo's rule cache does, and times P passes per round over them. Prints ns and
// bytes allocated per customer pass, the median of R rounds. By default every pass evaluates every segment (a
// customer's first pass in an activation, or one after its detail was evicted). With --touched each pass is the one
// after a touch by an event of the load generator's mix (visits, views, cart adds, orders, identifies in its
// proportions; the event itself is not applied, so the decisions stay the same): only the segments that read what
// the event changed are evaluated, as in the grain.
using System.Diagnostics;
using System.Globalization;
using CustomerGrains.Evaluation;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Behaviour;

var customers = Option("--customers", 64);
var passes = Option("--passes", 200_000);
var rounds = Option("--rounds", 7);
var touched = args.Contains("--touched");

var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
var catalog = Catalog(now);
var population = PopulationThresholds.Empty;
var memos = new Dictionary<CustomerState, EvaluationMemo>();
string[] mix = ["visit", "visit", "visit", "product_viewed", "product_viewed", "product_viewed", "cart_added", "order_completed", "identify"];
var touches = mix.Select(type => new CustomerEvent("touch", "c", type, now, EventProperties.Empty)).ToArray();
var passNumber = 0;
if (args.Contains("--memory"))
{
    return MemoryReport.Run(Option("--customers", 10_000), now, Pass);
}

var states = Enumerable.Range(0, customers).Select(i => SampleCustomers.Build(i, now)).ToArray();

// The first pass decides the memberships; every later one finds them unchanged, as most touches do.
var checksum = 0L;
foreach (var state in states)
{
    checksum += Pass(state);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{catalog.Segments.Length} segments, {customers} customers, {states.Average(s => s.Recent.Count):F0} events each, {states.Average(s => s.Memberships.Count):F1} memberships each"));

// Warm-up: tiered JIT settles on optimised code before anything is measured.
for (var i = 0; i < passes / 4; i++)
{
    checksum += Pass(states[i % states.Length]);
}

// Wall time counts the moments a busy machine gives the core to someone else; CPU time (this process: the
// pass and its garbage collections, which run on this thread) does not, and is the steadier figure.
var process = Process.GetCurrentProcess();
var nanos = new List<double>();
var cpu = new List<double>();
var bytes = new List<double>();
for (var round = 0; round < rounds; round++)
{
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < passes; i++)
    {
        checksum += Pass(states[i % states.Length]);
    }

    clock.Stop();
    process.Refresh();
    nanos.Add(clock.Elapsed.TotalNanoseconds / passes);
    cpu.Add((process.TotalProcessorTime - cpuBefore).TotalNanoseconds / passes);
    bytes.Add((double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / passes);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"evaluate + next deadline{(touched ? " after a touch" : "")}: {Median(cpu):F0} ns CPU ({Median(nanos):F0} ns wall) and {Median(bytes):F0} B per customer pass (median of {rounds} rounds of {passes:N0}; CPU rounds {cpu.Min():F0}–{cpu.Max():F0} ns) [checksum {checksum}]"));
return 0;

// One customer pass as CustomerGrain makes it: memberships, then the next deadline over every segment.
long Pass(CustomerState state)
{
    if (!touched)
    {
        var (changes, next) = SegmentEvaluation.Evaluate(state, "c", catalog, now, Cause, population);
        return changes.Length + (next?.UtcTicks ?? 0) % 7;
    }

    var what = new StateChanges();
    what.Accepted(touches[passNumber++ % touches.Length]);
    if (!memos.TryGetValue(state, out var memo))
    {
        memos[state] = memo = new EvaluationMemo();
    }

    var (count, due) = SegmentEvaluation.Evaluate(state, "c", catalog, now, Cause, population, what, memo);
    return count.Length + (due?.UtcTicks ?? 0) % 7;
}

static string Cause(SegmentDefinition definition) => "bench";

static CompiledCatalog Catalog(DateTimeOffset now)
{
    // bench/LoadGen --segments, as the load runs define them.
    var rules = CustomerGrains.Bench.BenchSegments.Rules;
    var drafts = LifecycleSegments.Defaults.Select(d => (d.Id, d.Rule))
        .Concat(rules.Select((rule, i) => (Id: string.Create(CultureInfo.InvariantCulture, $"s{i:D2}"), Rule: rule)));
    var random = new Random(1);
    var definitions = drafts.Select(d => new SegmentDefinition(d.Id, d.Id, null, d.Rule, 1, Uid(random), 4, now, now)).ToList();

    // The silo's rule cache orders serving segments by their references; these read none, so any order is one.
    var ordered = SegmentGraph.Order(SegmentGraph.Edges(definitions)).Select(id => definitions.Single(d => d.Id == id));
    return new CompiledCatalog(1, [.. ordered.Select(d => new CompiledSegment(d, RuleCompiler.Compile(d.EffectiveRule)))]);
}

static Guid Uid(Random random)
{
    var bytes = new byte[16];
    random.NextBytes(bytes);
    return new Guid(bytes);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
