using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Rules;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Models;

/// <summary>
/// Rules on predictions announce when time alone flips them: a silent customer's P(alive), expected orders and CLV
/// fall, and its potential steps down, with no event. Stepping from deadline to deadline over a real customer reaches
/// the very tick the answer changes, and no earlier instant changes it.
/// </summary>
public sealed class PredictionFlipTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static readonly StoreModels Models = new(
        new BgNbdParameters(0.243, 4.414, 0.793, 2.426), new GammaGammaParameters(6.25, 3.74, 15.44), ModelTimeUnit.Week,
        TimeSpan.FromDays(365), 0.1, HighFrom: 400, MediumFrom: 120, Now);

    private static readonly PopulationThresholds Population = PopulationThresholds.Empty with { Models = Models };

    /// <summary>Bought on three days: 20, 10 and 4 weeks ago (x = 2, t_x = 16 weeks, T = 20 weeks), 600 in all.</summary>
    private static CustomerState Repeat() => Customer(
        Order("o1", "c", Now.AddDays(-140), 200), Order("o2", "c", Now.AddDays(-70), 200), Order("o3", "c", Now.AddDays(-28), 200));

    /// <summary>A purchase a week for ten weeks, the last a day ago.</summary>
    private static CustomerState Frequent() => Customer([.. Enumerable.Range(0, 10).Select(w => Order($"f{w}", "c", Now.AddDays(-1 - (7 * w)), 40))]);

    public static TheoryData<string, string> Flips => new()
    {
        { "p_alive < 0.3", "repeat" },
        { "p_alive <= 0.3 and revenue >= 500", "repeat" },
        { "p_alive >= 0.3", "repeat" },
        { "0.3 > p_alive", "repeat" },
        { "p_alive between 0.2 and 0.5", "repeat" },
        { "expected_orders(30d) < 0.05", "repeat" },
        { "expected_orders_90d >= 1", "frequent" },
        { "clv < 100", "repeat" },
        { "potential == \"high\"", "frequent" },
        { "potential in [\"medium\", \"low\"]", "frequent" },
        { "not (p_alive > 0.9) or orders > 100", "frequent" },
    };

    [Theory]
    [MemberData(nameof(Flips))]
    public void Stepping_from_deadline_to_deadline_reaches_the_first_instant_the_answer_changes(string text, string customer)
    {
        var rule = RuleCompiler.Compile(text);
        var state = customer == "repeat" ? Repeat() : Frequent();
        var before = Evaluate(rule, state, Now);

        var at = Now;
        for (var step = 0; step < 100; step++)
        {
            var next = rule.NextDeadline(new CustomerFacts(state, population: Population), at);
            Assert.True(next is not null, $"no deadline after {at:O}");
            at = next.Value;
            if (Evaluate(rule, state, at) != before)
            {
                // The deadline is the change itself: the tick before still holds the old answer, and so does every
                // hour before that.
                Assert.Equal(before, Evaluate(rule, state, at.AddTicks(-1)));
                for (var probe = Now; probe < at; probe = probe.AddHours(1))
                {
                    Assert.Equal(before, Evaluate(rule, state, probe));
                }

                return;
            }
        }

        Assert.Fail("100 deadlines did not reach a change");
    }

    [Fact]
    public void The_p_alive_deadline_is_where_the_closed_form_crosses_the_threshold()
    {
        // P(alive) = 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) is 0.3 at T = (α+t_x)((1/0.3 − 1)(b+x−1)/a)^(1/(r+x)) − α.
        var bg = Models.BgNbd;
        var weeks = ((bg.Alpha + 16) * Math.Pow((1 / 0.3 - 1) * (bg.B + 1) / bg.A, 1 / (bg.R + 2))) - bg.Alpha;
        var crossing = Now.AddDays(-140) + TimeSpan.FromDays(weeks * 7);

        var due = RuleCompiler.Compile("p_alive < 0.3").NextDeadline(new CustomerFacts(Repeat(), population: Population), Now);

        Assert.NotNull(due);
        Assert.True((due.Value - crossing).Duration() < TimeSpan.FromMilliseconds(1), $"due {due:O}, crossing {crossing:O}");
    }

    [Theory]
    [InlineData("p_alive < 0.3")]
    [InlineData("clv > 5")]
    [InlineData("potential == \"low\"")]
    public void Without_a_model_a_prediction_rule_is_false_and_announces_nothing(string text)
    {
        var rule = RuleCompiler.Compile(text);
        var facts = new CustomerFacts(Repeat(), population: PopulationThresholds.Empty);
        Assert.False(rule.Evaluate(facts, Now));
        Assert.Null(rule.NextDeadline(facts, Now));
    }

    [Fact]
    public void A_customer_with_no_repeat_purchase_is_alive_by_the_model_and_its_p_alive_never_turns()
    {
        var state = Customer(Order("o1", "c", Now.AddDays(-300), 80));
        var rule = RuleCompiler.Compile("p_alive < 1");
        Assert.False(Evaluate(rule, state, Now));
        Assert.Null(rule.NextDeadline(new CustomerFacts(state, population: Population), Now));
    }

    [Fact]
    public void A_spend_model_without_a_finite_mean_gives_way_to_the_customers_own_mean_and_no_number_is_NaN()
    {
        // q ≤ 1: the Gamma-Gamma's mean spend is infinite (as a fit on heavy-tailed spend can come out).
        var population = PopulationThresholds.Empty with { Models = Models with { GammaGamma = new GammaGammaParameters(2.2, 0.9, 6786) } };
        // A one-off buyer's expected spend is that mean: its own order's value stands in.
        var prediction = new CustomerFacts(Customer(Order("o1", "c", Now.AddDays(-30), 80)), population: population).Prediction(Now)!;
        Assert.Equal(80, prediction.ExpectedSpend);
        Assert.True(prediction.Clv is > 0 and < double.PositiveInfinity, $"clv {prediction.Clv}");
        Assert.All(new[] { prediction.PAlive, prediction.ExpectedOrders90d, prediction.ExpectedSpend, prediction.Clv }, v => Assert.True(v is { } x && double.IsFinite(x)));
    }

    [Fact]
    public void A_lookalike_score_ahead_moves_only_what_time_moves_and_equals_a_fresh_description_then()
    {
        // Recency lowers the odds, the 25-34 band raises them; the customer turns 25 in 20 days and was last seen today.
        var model = new LookalikeModel(
            -0.5,
            ImmutableDictionary<string, ImmutableDictionary<string, double>>.Empty
                .Add("age_band", ImmutableDictionary<string, double>.Empty.Add("18-24", -0.4).Add("25-34", 0.9))
                .Add("country", ImmutableDictionary<string, double>.Empty.Add("es", 1.1)),
            ImmutableDictionary<string, LookalikeNumber>.Empty.Add("days_since_last_seen", new LookalikeNumber(30, 20, -1.2)));
        var population = PopulationThresholds.Empty with
        {
            Lookalikes = ImmutableDictionary<string, StoreLookalike>.Empty.Add("twins", new StoreLookalike(model, "orders == 0", [], Now)),
        };
        var birth = Now.AddDays(20).AddYears(-25).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var state = Customer(
            Identify("i1", "c", Now.AddDays(-1), ("country", "ES"), ("birthDate", birth)),
            Visit("v1", "c", Now));

        var facts = new CustomerFacts(state, population: population);
        Assert.NotNull(RuleValues.AsNumber(facts.Lookalike("twins", Now)));
        foreach (var days in new[] { 0.5, 10, 19.9, 20.1, 45, 400 })
        {
            var ahead = RuleValues.AsNumber(facts.Lookalike("twins", Now.AddDays(days)));
            var fresh = RuleValues.AsNumber(new CustomerFacts(state, population: population).Lookalike("twins", Now.AddDays(days)));
            Assert.NotNull(fresh);
            Assert.Equal(fresh!.Value, ahead!.Value, 12);
        }

        // And the deadline of a rule on it is the instant the score crosses the threshold.
        var rule = RuleCompiler.Compile("lookalike(\"twins\") >= 0.5");
        var due = rule.NextDeadline(new CustomerFacts(state, population: population), Now);
        Assert.NotNull(due);
        Assert.NotEqual(rule.Evaluate(new CustomerFacts(state, population: population), due.Value.AddTicks(-1)), rule.Evaluate(new CustomerFacts(state, population: population), due.Value));
    }

    [Theory]
    [InlineData("p_alive in [0.5]")]
    [InlineData("p_alive < clv")]
    [InlineData("p_alive > days_since(last_order)")]
    public void A_prediction_against_something_that_also_moves_is_evaluated_on_every_pass(string text) =>
        Assert.True(RuleCompiler.Compile(text).Inputs.UnannouncedTime);

    private static bool Evaluate(CompiledRule rule, CustomerState state, DateTimeOffset at) =>
        rule.Evaluate(new CustomerFacts(state, population: Population), at);

    private static CustomerState Customer(params CustomerEvent[] events)
    {
        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerBehaviour.Apply(state, e);
        }

        return state;
    }
}
