using System.Globalization;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Rules;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Rules;

/// <summary>
/// Random rules over random customers: the answers a fine grid of instants sees never change between two
/// consecutive deadlines, that is, stepping from deadline to deadline misses no change time alone makes.
/// </summary>
public sealed class DeadlineGridTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset End = Start.AddDays(400);

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 8)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Stepping_from_deadline_to_deadline_never_misses_a_change_a_fine_grid_sees(int seed)
    {
        var random = new Random(seed);
        var rules = Rules(random, new RuleFuzzer(seed));
        var grid = Grid(random);
        var customers = Enumerable.Range(0, 3).Select(i => Customer(random, i)).ToList();
        var changes = 0;

        foreach (var rule in rules)
        {
            foreach (var customer in customers)
            {
                var chain = Chain(rule, customer);
                var answers = chain.Select(at => rule.Evaluate(new CustomerFacts(customer), at)).ToList();
                for (var i = 1; i < chain.Count; i++)
                {
                    changes += answers[i] != answers[i - 1] ? 1 : 0;

                    // The answer holds to the last tick before the next deadline.
                    var before = chain[i].AddTicks(-1);
                    Assert.True(
                        before < chain[i - 1] || rule.Evaluate(new CustomerFacts(customer), before) == answers[i - 1],
                        $"seed {seed}: '{rule.Text}' changed before the deadline {chain[i]:O}");
                }

                var link = 0;
                foreach (var at in grid)
                {
                    while (link + 1 < chain.Count && chain[link + 1] <= at)
                    {
                        link++;
                    }

                    var answer = rule.Evaluate(new CustomerFacts(customer), at);
                    Assert.True(
                        answer == answers[link],
                        $"seed {seed}: '{rule.Text}' is {answer} at {at:O} but {answers[link]} at the deadline {chain[link]:O} before it, and the next deadline is {(link + 1 < chain.Count ? chain[link + 1].ToString("O", CultureInfo.InvariantCulture) : "none")}");
                }
            }
        }

        // Time does move the answers, often.
        Assert.True(changes > 30, $"only {changes} changes at the deadlines of {rules.Count} rules");
    }

    /// <summary>Now, then each deadline from the one before, to the end of the grid.</summary>
    private static List<DateTimeOffset> Chain(CompiledRule rule, CustomerState customer)
    {
        var chain = new List<DateTimeOffset> { Start };
        while (chain[^1] <= End && rule.NextDeadline(new CustomerFacts(customer), chain[^1]) is { } next)
        {
            Assert.True(next > chain[^1], $"'{rule.Text}': a deadline {next:O} not after {chain[^1]:O}");
            chain.Add(next);
            Assert.True(chain.Count < 5000, $"'{rule.Text}': more than 5000 deadlines in 400 days");
        }

        return chain;
    }

    /// <summary>Time-sensitive rules: from the fuzzer's grammar, and as many again aimed at every kind and operator.</summary>
    private static List<CompiledRule> Rules(Random random, RuleFuzzer fuzzer)
    {
        var rules = new List<CompiledRule>();
        for (var attempt = 0; attempt < 20_000 && rules.Count < 60; attempt++)
        {
            var text = attempt % 2 == 0 ? fuzzer.Generated() : Aimed(random, 0);
            if (RuleCompiler.TryCompile(text, out var rule, out _) && RuleAnalysis.IsTimeSensitive(rule!.Ast))
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private static string Aimed(Random random, int depth) => (depth < 2 ? random.Next(6) : 5) switch
    {
        0 => $"{Aimed(random, depth + 1)} and {Aimed(random, depth + 1)}",
        1 => $"({Aimed(random, depth + 1)} or {Aimed(random, depth + 1)})",
        2 => $"not {Aimed(random, depth + 1)}",
        _ => Predicate(random),
    };

    private static string Predicate(Random random)
    {
        string[] numbers = ["0", "0.5", "1", "2", "3", "7", "12", "25.5", "30", "36", "40", "90", "100"];
        string Number() => numbers[random.Next(numbers.Length)];
        string Op() => new[] { "==", "!=", "<", "<=", ">", ">=" }[random.Next(6)];
        string[] ramps = ["days_since(last_order)", "days_since(last_seen)", "days_since(first_order)", "days_since(profile.birth_date)", "days_since(profile.since)"];
        string[] steps =
        [
            "profile.age", "count(visit, 3d)", "count(visit, 12h)", "count(product_viewed where category == \"shoes\", 14d)",
            "sum(order_completed.revenue, 30d)", "count(visit where profile.age >= 30, 20d)", "count(order_completed, 90m)",
            "count(visit where days_since(profile.birth_date) > 9000, 10d)", "orders", "profile.limit",
        ];
        var value = random.Next(3) == 0 ? steps[random.Next(steps.Length)] : ramps[random.Next(ramps.Length)];
        var other = random.Next(2) == 0 ? steps[random.Next(steps.Length)] : ramps[random.Next(ramps.Length)];
        return random.Next(11) switch
        {
            0 => $"{value} {Op()} {Number()}",
            1 => $"{Number()} {Op()} {value}",
            2 => $"{value} {Op()} {other}",
            3 => $"{value} in [{string.Join(", ", Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Number()))}]",
            4 => $"{value} not in [{Number()}, {Number()}]",
            5 => $"{value} between {Number()} and {Number()}",
            6 => $"{value} between {other} and {Number()}",
            7 => $"profile.tags contains {value}",
            8 => $"exists({value})",
            9 => $"lifecycle {(random.Next(2) == 0 ? "==" : "!=")} \"{new[] { "new", "active", "at_risk", "lapsed", "churned", "prospect" }[random.Next(6)]}\"",
            _ => $"{value} {Op()} {Number()}",
        };
    }

    /// <summary>Every 2 hours for 60 days, then every 10 hours, and 300 random instants.</summary>
    private static List<DateTimeOffset> Grid(Random random)
    {
        var grid = new List<DateTimeOffset>();
        for (var at = Start; at < End; at = at.AddHours(at < Start.AddDays(60) ? 2 : 10))
        {
            grid.Add(at);
        }

        grid.AddRange(Enumerable.Range(0, 300).Select(_ => Start.AddSeconds(random.NextDouble() * (End - Start).TotalSeconds)));
        grid.Sort();
        return grid;
    }

    private static CustomerState Customer(Random random, int index)
    {
        var state = new CustomerState();
        var events = new List<CustomerEvent>();
        for (var i = 0; i < random.Next(5, 40); i++)
        {
            // Minutes apart, mostly in the past, a few stamped ahead of the clock.
            var at = Start.AddMinutes(random.Next(-60 * 24 * 120, 60 * 24 * 5));
            events.Add(random.Next(6) switch
            {
                0 when index > 0 => Order($"o{i}", "c", at, random.Next(5, 200)),
                1 => Viewed($"p{i}", "c", at, random.Next(2) == 0 ? "shoes" : "hats"),
                _ => Visit($"v{i}", "c", at),
            });
        }

        // Born on a day of the year the grid crosses, or not at all; a limit and tags holding numbers.
        var birth = Start.AddYears(-random.Next(20, 45)).AddDays(random.Next(-30, 300)).Date;
        var profile = new List<(string, PropertyValue)>
        {
            ("limit", PropertyValue.Of(random.Next(0, 40).ToString(CultureInfo.InvariantCulture))),
            ("since", PropertyValue.Of(Start.AddDays(-random.Next(0, 40)).ToString("O", CultureInfo.InvariantCulture))),
            ("tags", PropertyValue.Of(["x", random.Next(0, 40).ToString(CultureInfo.InvariantCulture), "25.5", "12"])),
            ("customTrait", PropertyValue.Of(random.Next(0, 40))),
        };
        if (index != 1)
        {
            profile.Add(("birthDate", PropertyValue.Of(birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }

        events.Add(Make("i1", "c", EventTypes.Identify, Start.AddDays(-130), [.. profile]));
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }
}
