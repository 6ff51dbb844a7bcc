using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// A pass that evaluates only the segments whose inputs changed (or whose deadline came) decides exactly what a pass
/// over every segment decides: memberships, the changes sent to the shards, their decision numbers and the next deadline.
/// </summary>
public sealed class IncrementalEvaluationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    // Every kind of input: windows by type (with and without where), purchases, activity, profile, population
    // (tiers, RFM, lifecycle settings), segments reading segments across inputs, and time no deadline announces.
    private static readonly (string Id, string Rule)[] Definitions =
    [
        ("buyers", "orders >= 1"),
        ("repeat", "orders >= 2 and revenue > 100"),
        ("aov", "aov > 80"),
        ("refunders", "refunds >= 1"),
        ("browsers", "orders == 0 and events >= 4"),
        ("visitors", "count(visit, 14d) >= 2"),
        ("lapsed-regulars", "count(visit, 60d) >= 3 and count(visit, 10d) == 0"),
        ("shoes", "count(product_viewed where category == \"shoes\", 30d) >= 2"),
        ("carts", "count(cart_added, 7d) >= 1 and count(order_completed, 7d) == 0"),
        ("spenders", "sum(order_completed.revenue, 90d) >= 200"),
        ("big-order", "count(order_completed where revenue > 150, 365d) >= 1"),
        ("quiet-buyers", "days_since(last_order) > 20"),
        ("recent", "days_since(last_seen) < 5"),
        ("young", "profile.age < 30"),
        ("spaniards", "profile.country in [\"ES\", \"MX\"]"),
        ("mailable", "exists(profile.email)"),
        ("high", "value_tier == \"high\""),
        ("champions", "rfm.r >= 4 and rfm.f >= 3"),
        ("new", "lifecycle == \"new\""),
        ("active", "lifecycle == \"active\""),
        ("at-risk", "lifecycle == \"at_risk\""),
        ("buyer-visitors", "in_segment(\"buyers\") and count(visit, 14d) >= 1"),
        ("spanish-buyers", "in_segment(\"buyer-visitors\") and in_segment(\"spaniards\")"),
        ("not-buyers", "not in_segment(\"buyers\") and exists(profile.email)"),
        ("custom", "count(wishlist_added, 30d) >= 1"),
        // Once evaluated on every pass for want of a deadline; now their deadlines announce every turn.
        ("until-limit", "days_since(last_seen) between 2 and profile.limit"),
        ("age-list", "profile.age in [30, 31, 32, 33]"),
        ("recent-list", "days_since(last_seen) in [0.5, 1, 2, 3.25]"),
        // The one turn no deadline announces (a threshold per filtered event): evaluated on every pass.
        ("unannounced", "count(visit where days_since(profile.birth_date) > limit, 30d) >= 1"),
    ];

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 24)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Deciding_only_what_can_have_changed_decides_what_a_full_pass_decides(int seed)
    {
        var random = new Random(seed);
        var catalog = Catalog();
        // A small cap evicts often (windows then read daily totals); a larger one lets the by-type index build.
        var options = seed % 2 == 0
            ? new BehaviourOptions { MaxRetainedEvents = 40, RetentionDays = 60 }
            : new BehaviourOptions { MaxRetainedEvents = 90, RetentionDays = 400 };
        var incremental = new CustomerState();
        var reference = new CustomerState();
        var incrementalDecided = new Dictionary<string, MembershipChange>(StringComparer.Ordinal);
        var referenceDecided = new Dictionary<string, MembershipChange>(StringComparer.Ordinal);
        var memo = new EvaluationMemo();
        var population = Population(random);
        var now = Start;
        var skipped = 0;
        DateTimeOffset? due = null;

        for (var step = 0; step < 300; step++)
        {
            var changes = StateChanges.None;
            var roll = random.Next(10);
            if (roll < 6)
            {
                changes = new StateChanges();
                foreach (var e in RandomEvents(random, now, step))
                {
                    CustomerBehaviour.Apply(reference, e);
                    if (CustomerBehaviour.Apply(incremental, e))
                    {
                        changes.Accepted(e);
                    }
                }

                CustomerBehaviour.Prune(reference, now, options);
                if (CustomerBehaviour.Prune(incremental, now, options))
                {
                    changes.Evicted();
                }
            }
            else if (roll < 8)
            {
                // Time alone: sometimes to the very deadline the last pass announced, sometimes anywhere.
                now = random.Next(2) == 0 && due is { } at
                    ? at
                    : now.AddMinutes(random.Next(1, 60 * 24 * 30));
            }
            else if (roll < 9)
            {
                // The store's statistics or settings as the silo's cache hands them out: a new instance each time.
                population = Population(random);
            }

            var outcome = SegmentEvaluation.Evaluate(incremental, "c", catalog, now, Cause, population, changes, memo);
            var expected = SegmentEvaluation.Evaluate(reference, "c", catalog, now, Cause, population);

            Remember(incrementalDecided, outcome);
            Remember(referenceDecided, expected);
            var context = $"seed {seed}, step {step}, at {now:O}";
            Assert.Equal(Describe(reference, referenceDecided, catalog), Describe(incremental, incrementalDecided, catalog));
            Assert.True(expected.Changes == outcome.Changes, $"{context}: {outcome.Changes} changes decided, {expected.Changes} by a full pass");
            Assert.True(expected.NextDeadline == outcome.NextDeadline, $"{context}: next deadline {outcome.NextDeadline:O}, a full pass says {expected.NextDeadline:O}");
            Assert.Equal(reference.Decisions, incremental.Decisions);
            due = expected.NextDeadline;
            skipped += changes.Parts == StateParts.Everything ? 0 : 1;
        }

        Assert.True(skipped > 100, "most passes had a chance to skip segments");
    }

    [Fact]
    public void A_segment_reading_a_segment_that_an_order_moved_is_decided_again_in_the_same_pass()
    {
        var catalog = Catalog();
        var state = new CustomerState();
        var memo = new EvaluationMemo();
        var first = new StateChanges();
        foreach (var e in new[] { Visit("v1", "c", Start.AddDays(-1)), Identify("i1", "c", Start.AddDays(-1), ("country", "ES")) })
        {
            CustomerBehaviour.Apply(state, e);
            first.Accepted(e);
        }

        SegmentEvaluation.Evaluate(state, "c", catalog, Start, Cause, PopulationThresholds.Empty, first, memo);
        Assert.False(state.Memberships.ContainsKey(catalog.Find("spanish-buyers")!.Key));

        // An order touches purchases only; buyer-visitors and spanish-buyers read no purchase themselves.
        var order = Order("o1", "c", Start, 50);
        CustomerBehaviour.Apply(state, order);
        var second = new StateChanges();
        second.Accepted(order);
        SegmentEvaluation.Evaluate(state, "c", catalog, Start.AddMinutes(1), Cause, PopulationThresholds.Empty, second, memo);

        Assert.True(state.Memberships.ContainsKey(catalog.Find("buyer-visitors")!.Key));
        Assert.True(state.Memberships.ContainsKey(catalog.Find("spanish-buyers")!.Key));
    }

    [Theory]
    [InlineData("count(visit, 30d) >= 2 and orders >= 1", "visit", "orders", false, false)]
    [InlineData("sum(order_completed.revenue, 90d) > 5 or count(product_viewed where category == \"x\", 7d) >= 1", "order_completed,product_viewed", "", false, false)]
    [InlineData("count(visit where count(order_completed, 30d) >= 1, 7d) >= 1", "order_completed,visit", "", false, false)]
    [InlineData("days_since(last_order) > 30", "", "last_order", false, false)]
    [InlineData("days_since(last_order) between 3 and 9", "", "last_order", false, false)]
    [InlineData("profile.age >= 18", "", "", true, false)]
    [InlineData("profile.country == \"DE\"", "", "", true, false)]
    [InlineData("days_since(last_order) > days_since(first_seen)", "", "first_seen,last_order", false, false)]
    [InlineData("days_since(last_order) between 3 and profile.limit", "", "last_order", true, false)]
    [InlineData("days_since(last_order) in [1, 2]", "", "last_order", false, false)]
    [InlineData("profile.age in [30, 40]", "", "", true, false)]
    [InlineData("days_since(last_order) > 40000", "", "last_order", false, false)]
    [InlineData("count(visit where profile.age >= 30, 7d) >= 1", "visit", "", true, false)]
    [InlineData("count(visit where days_since(profile.birth_date) > limit, 7d) >= 1", "visit", "", true, true)]
    public void A_rule_names_what_it_reads_and_whether_its_deadline_announces_every_turn(
        string rule, string types, string traits, bool profile, bool unannounced)
    {
        var inputs = RuleCompiler.Compile(rule).Inputs;

        Assert.Equal(Split(types), inputs.EventTypes.ToArray());
        Assert.Equal(Split(traits), inputs.Traits.ToArray());
        Assert.Equal(profile, inputs.Profile);
        Assert.Equal(unannounced, inputs.UnannouncedTime);
    }

    [Fact]
    public void Every_trait_a_rule_may_name_maps_to_the_parts_of_the_state_it_reads()
    {
        foreach (var trait in RuleSchema.Traits.Keys)
        {
            Assert.NotEqual(StateParts.Everything, CustomerFacts.PartsRead(trait));
        }
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string Cause(SegmentDefinition d) => $"test:{d.Id}";

    /// <summary>The last change decided per segment, as an outbox that never delivers would hold them.</summary>
    private static void Remember(Dictionary<string, MembershipChange> decided, EvaluationOutcome outcome)
    {
        foreach (var (key, change) in outcome.Decided)
        {
            decided[key] = change;
        }
    }

    /// <summary>Memberships with when they began, and the changes for the shards with their numbers.</summary>
    private static string Describe(CustomerState state, Dictionary<string, MembershipChange> decided, CompiledCatalog catalog) => string.Join(
        "; ",
        state.Memberships.Select(m => $"{catalog.FindByKey(m.Key)?.Definition.Id} since {m.Value.EnteredAt:O}").Order(StringComparer.Ordinal)
            .Concat(decided.Where(o => catalog.FindByKey(o.Key) is not null)
                .Select(o => $"{catalog.FindByKey(o.Key)?.Definition.Id} → {o.Value.IsMember} #{o.Value.Decision}").Order(StringComparer.Ordinal)));

    private static IEnumerable<CustomerEvent> RandomEvents(Random random, DateTimeOffset now, int step)
    {
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var id = $"e{step}-{i}";
            // Mostly recent, sometimes late and old (into an evicted past), now and then slightly ahead of the clock.
            var at = random.Next(10) switch
            {
                0 => now.AddDays(-random.Next(30, 90)),
                1 => now.AddMinutes(random.Next(1, 120)),
                _ => now.AddMinutes(-random.Next(0, 60 * 24 * 10)),
            };

            yield return random.Next(12) switch
            {
                0 or 1 or 2 => Visit(id, "c", at),
                3 or 4 => Viewed(id, "c", at, random.Next(2) == 0 ? "shoes" : "hats"),
                5 => Make(id, "c", EventTypes.CartAdded, at),
                6 => Order(id, "c", at, random.Next(10, 300), random.Next(4) == 0 ? "o-repeat" : null),
                7 => Refund(id, "c", at, random.Next(2) == 0 ? random.Next(5, 50) : null, random.Next(2) == 0 ? "o-repeat" : null),
                8 => Identify(id, "c", at, ("country", random.Next(3) switch { 0 => "ES", 1 => "DE", _ => "MX" }),
                    ("birthDate", Start.AddYears(-random.Next(15, 45)).AddDays(-random.Next(365)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
                11 => Make(id, "c", EventTypes.Identify, at, ("limit", PropertyValue.Of((double)random.Next(3, 30)))),
                9 => Identify(id, "c", at, ("email", $"c{random.Next(3)}@example.com")),
                10 => Make(id, "c", "wishlist_added", at),
                _ => Visit(id, "c", at),
            };

            if (random.Next(8) == 0)
            {
                // A retry of an event already applied: accepted by neither.
                yield return Visit($"e{Math.Max(0, step - 1)}-0", "c", at);
            }
        }
    }

    private static PopulationThresholds Population(Random random)
    {
        var revenue = new Dictionary<int, long>();
        var orders = new Dictionary<int, long>();
        var days = new Dictionary<int, long>();
        var today = (int)(Start.UtcTicks / TimeSpan.TicksPerDay);
        for (var i = 0; i < 20; i++)
        {
            var bucket = CustomerStats.BucketOf(random.Next(10, 1000));
            revenue[bucket] = revenue.GetValueOrDefault(bucket) + 1;
            var count = random.Next(1, 6);
            orders[count] = orders.GetValueOrDefault(count) + 1;
            var day = today - random.Next(0, 200);
            days[day] = days.GetValueOrDefault(day) + 1;
        }

        var settings = random.Next(3) switch
        {
            0 => null,
            1 => new ClassificationSettings(HighFrom: 400, MediumFrom: 100),
            _ => new ClassificationSettings(NewDays: random.Next(5, 30), ActiveDays: random.Next(31, 60), AtRiskDays: 90, LapsedDays: 200),
        };
        return new PopulationThresholds(Distribution.From(revenue), Distribution.From(orders), Distribution.From(days), settings);
    }

    private static CompiledCatalog Catalog() => TestCatalogs.Compile(Definitions.Select(d => (d.Id, d.Rule, (string?)null)), Start);
}
