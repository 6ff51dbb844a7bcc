using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Evaluation;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace CustomerGrains.Stages;

/// <summary>
/// The load generator's traffic, built the way bench/LoadGen builds it (same event mix, power-law activity, ids,
/// timestamps over 120 days, JSON body), and what each stage of the event path takes as input: the request bodies,
/// their events as the Api parses them, grouped per customer as the ingest grain groups them, and warm customers
/// (bench/Evaluation's samples: 30–60 events of history) decided once over the benchmark's segments and snapshotted.
/// Deterministic: every process of a benchmark run builds the same workload.
/// </summary>
public sealed class Workload
{
    public const string Store = "demo";
    public const int EventsPerRequest = 1000;

    /// <summary>The instant every stage runs at: the events' and the samples' histories end here.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, byte[]> _snapshots = new(StringComparer.Ordinal);

    /// <param name="customers">The load generator's <c>--customers</c> (the warm run: 10,000).</param>
    /// <param name="requests">How many 1000-event requests to build.</param>
    /// <param name="warm">Whether to build the warm customers (only the stages past parsing need them).</param>
    public Workload(int customers = 10_000, int requests = 16, bool warm = true)
    {
        Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        Catalog = CompileCatalog();
        Bodies = [.. Enumerable.Range(0, requests).Select(r => Body(r, customers))];
        Requests = [.. Bodies.Select(Parse)];
        Groups = [.. Requests.Select(Group)];

        // Every customer a request touches, warm: its history applied, its memberships decided, its outbox delivered.
        foreach (var customer in warm ? Groups.SelectMany(g => g).Select(g => g.Customer).Distinct() : [])
        {
            var state = SampleCustomers.Build(Seed(customer), Now);
            SegmentEvaluation.Evaluate(state, customer, Catalog, Now, _ => "bench", Population);
            state.Outbox.Clear();
            state.Registered = true;
            _snapshots[customer] = Serializer.SerializeToArray(state);
        }
    }

    public Serializer Serializer { get; }

    /// <summary>A database handle that is never opened: for stages that build writes without committing them.</summary>
    public static StoreDatabase Unopened() =>
        new(DatabaseKind.Sqlite, new SqliteConnectionStringBuilder { DataSource = ":memory:" }.ConnectionString);

    /// <summary>The customer's journal as the grain holds it, over <paramref name="database"/>, through <paramref name="writer"/> or a writer of its own.</summary>
    public CustomerJournal Journal(StoreDatabase database, JournalWriter? writer = null) => new(
        writer ?? new JournalWriter(new SqliteJournalCommitter(database), TimeProvider.System, NullLogger<JournalWriter>.Instance),
        new JournalTailReader(database), new ChangeRowReader(database), Serializer, Options.Create(new JournalOptions()));

    /// <summary>LifecycleSegments' 6 and the benchmark's 20, compiled as the silo's rule cache compiles them (as bench/Evaluation does).</summary>
    public CompiledCatalog Catalog { get; }

    public PopulationThresholds Population { get; } = PopulationThresholds.Empty;

    public BehaviourOptions Behaviour { get; } = new();

    /// <summary>Each request's body: a JSON array of <see cref="EventsPerRequest"/> events, UTF-8.</summary>
    public byte[][] Bodies { get; }

    /// <summary>Each request's events, as <see cref="EventParser.ParseBatch"/> returns them.</summary>
    public ImmutableArray<CustomerEvent>[] Requests { get; }

    /// <summary>Each request's events per customer, in the order the ingest grain sends them.</summary>
    public (string Customer, ImmutableArray<CustomerEvent> Events)[][] Groups { get; }

    public double EventsPerCustomer => Groups.Average(g => (double)EventsPerRequest / g.Length);

    /// <summary>A warm customer as its activation holds it: loaded from its snapshot, its memo primed by a first pass.</summary>
    public (CustomerState State, EvaluationMemo Memo, DateTimeOffset? NextDeadline) Warm(string customer)
    {
        var state = Serializer.Deserialize<CustomerState>(_snapshots[customer])!;
        var memo = new EvaluationMemo();
        var pass = SegmentEvaluation.Evaluate(state, customer, Catalog, Now, _ => "bench", Population, StateChanges.All, memo);
        return (state, memo, pass.NextDeadline);
    }

    /// <summary>
    /// Each request's customers, warm, each customer one instance across requests (what a silo holds): loaded from its
    /// snapshot, then one visit recorded.
    /// </summary>
    public Customer[][] WarmCustomers()
    {
        var warm = new Dictionary<string, Customer>(StringComparer.Ordinal);
        return [.. Groups.Select(groups => groups.Select(g =>
        {
            if (!warm.TryGetValue(g.Customer, out var customer))
            {
                var (state, memo, next) = Warm(g.Customer);

                // Warm in memory, as in a sustained run: the activation has served a request since it loaded its snapshot
                // (its collections grown past their loaded size). Measured: Apply costs ~25 % more on the first request.
                var touch = new CustomerEvent($"{g.Customer}-touch", g.Customer, "visit", Now.AddHours(-1), EventProperties.Empty);
                next = CustomerDecisions.Record(state, g.Customer, [touch], Catalog, Population, Now, Behaviour, memo).NextDeadline;
                state.Outbox.Clear();

                // The deadline the warm activation registered before these requests.
                var deadline = new DeadlineTracker(g.Customer);
                deadline.Change(next, Now);
                warm[g.Customer] = customer = new Customer(g.Customer, state, memo, deadline, new MembershipOutbox(null!, Store, g.Customer));
            }

            return customer with { Events = g.Events };
        }).ToArray())];
    }

    /// <summary>
    /// What the customer grain queues for each request's customers: it decides (<see cref="CustomerDecisions.Record"/>),
    /// stages its membership changes, picks its deadline and purchase row, and builds the journal entry. Run once on
    /// warm customers; the journal stages take these as input.
    /// </summary>
    public Decided[][] Decide()
    {
        var requests = WarmCustomers();
        var decided = new Decided[requests.Length][];
        var number = 0L;
        for (var r = 0; r < requests.Length; r++)
        {
            decided[r] = new Decided[requests[r].Length];
            for (var i = 0; i < requests[r].Length; i++)
            {
                var c = requests[r][i];
                var decision = CustomerDecisions.Record(c.State, c.Id, c.Events, Catalog, Population, Now, Behaviour, c.Memo);
                var deadline = c.Deadline.Change(decision.NextDeadline, Now);
                var purchases = decision.HasPurchases ? Purchases(c.State) : null;
                var rows = c.Outbox.Stage(c.State, decision.Changes, ++number, Catalog);
                decided[r][i] = new Decided(c.Id, new JournalEntry(decision.Accepted, rows, Erased: false), deadline, purchases, c.State, c.Outbox, decision.Changes);
            }
        }

        return decided;
    }

    /// <summary>The customer's purchase row, as the grain writes it when its orders changed.</summary>
    public static PurchaseRow Purchases(CustomerState state) =>
        PurchaseRow.OfOrders(Grains.Prediction.PurchaseOrderCodec.Encode(CustomerFacts.PurchaseOrders(state)), state.Orders.Count, CustomerBehaviour.Revenue(state));

    /// <summary>The body as the Api reads it (<c>JsonBody</c>: a document over a copy of the body, then the UTF-8 check), then its events.</summary>
    public static ImmutableArray<CustomerEvent> Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(new MemoryStream(body, 0, body.Length, writable: false), DocumentOptions);
        if (JsonText.UndecodableString(body) is { } at)
        {
            throw new InvalidOperationException($"undecodable string at {at}");
        }

        var (events, errors) = EventParser.ParseBatch(document.RootElement, Now);
        return errors.Count > 0 ? throw new InvalidOperationException($"{errors.Count} invalid events, the first at {errors[0].Index}: {errors[0].Field}: {errors[0].Reason}") : events;
    }

    /// <summary>The Api's document options (<c>JsonBody.Parse</c>).</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    private static (string Customer, ImmutableArray<CustomerEvent> Events)[] Group(ImmutableArray<CustomerEvent> events)
    {
        // As EventIngestGrain groups them: per customer, in order of first appearance.
        var order = new List<string>();
        var groups = new Dictionary<string, ImmutableArray<CustomerEvent>.Builder>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!groups.TryGetValue(e.CustomerId, out var group))
            {
                groups[e.CustomerId] = group = ImmutableArray.CreateBuilder<CustomerEvent>(1);
                order.Add(e.CustomerId);
            }

            group.Add(e);
        }

        return [.. order.Select(c => (c, groups[c].ToImmutable()))];
    }

    private static int Seed(string customer) => int.Parse(customer.AsSpan(1), CultureInfo.InvariantCulture);

    private static byte[] Body(int request, int customers)
    {
        // bench/LoadGen/Program.cs: its type mix, categories, countries, power-law customers and 120 days of timestamps.
        string[] types = ["visit", "visit", "visit", "product_viewed", "product_viewed", "product_viewed", "cart_added", "order_completed", "identify"];
        string[] categories = ["shoes", "shirts", "bags", "hats"];
        string[] countries = ["ES", "MX", "DE", "FR", "US", "AR"];
        var random = new Random(42 + request);
        var json = new StringBuilder("[");
        for (var i = 0; i < EventsPerRequest; i++)
        {
            var customer = string.Create(CultureInfo.InvariantCulture, $"c{(int)(customers * Math.Pow(random.NextDouble(), 2.5))}");
            var type = types[random.Next(types.Length)];
            var at = Now.AddMinutes(-random.Next(0, 60 * 24 * 120));
            var props = type switch
            {
                "order_completed" => string.Create(CultureInfo.InvariantCulture, $$"""{"revenue":{{random.Next(5, 300)}},"currency":"EUR"}"""),
                "product_viewed" => $$"""{"category":"{{categories[random.Next(categories.Length)]}}"}""",
                "identify" => $$"""{"country":"{{countries[random.Next(countries.Length)]}}","email":"{{customer}}@example.com"}""",
                _ => "{}",
            };
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"id":"5f3a9c{{request:D2}}-{{i}}","customerId":"{{customer}}","type":"{{type}}","timestamp":"{{at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","properties":{{props}}}""");
        }

        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }

    private static CompiledCatalog CompileCatalog()
    {
        var drafts = LifecycleSegments.Defaults.Select(d => (d.Id, d.Rule))
            .Concat(Bench.BenchSegments.Rules.Select((rule, i) => (Id: string.Create(CultureInfo.InvariantCulture, $"s{i:D2}"), Rule: rule)));
        var random = new Random(1);
        var definitions = drafts.Select(d => new SegmentDefinition(d.Id, d.Id, null, d.Rule, 1, Uid(random), 4, Now, Now)).ToList();
        var ordered = SegmentGraph.Order(SegmentGraph.Edges(definitions)).Select(id => definitions.Single(d => d.Id == id));
        return new CompiledCatalog(1, [.. ordered.Select(d => new CompiledSegment(d, RuleCompiler.Compile(d.EffectiveRule)))]);
    }

    private static Guid Uid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
