using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

public sealed class ClvTests
{
    private static readonly BgNbdParameters Weekly = new(0.243, 4.414, 0.793, 2.426);
    private static readonly BgNbdParameters Daily = Weekly with { Alpha = Weekly.Alpha * 7 };

    public static TheoryData<ModelTimeUnit, int, double, double, double> Histories => new()
    {
        // unit, x, tx, T in that unit, horizon in days
        { ModelTimeUnit.Week, 0, 0, 38.86, 365.25 },
        { ModelTimeUnit.Week, 2, 30.43, 38.86, 365.25 },
        { ModelTimeUnit.Week, 2, 30.43, 38.86, 100 },
        { ModelTimeUnit.Week, 25, 50, 52, 730.5 },
        { ModelTimeUnit.Day, 2, 213, 272, 365.25 },
        { ModelTimeUnit.Day, 2, 213, 272, 45.5 },
        { ModelTimeUnit.Day, 2, 213, 272, 10 },
    };

    [Theory]
    [MemberData(nameof(Histories))]
    public void Without_discounting_the_value_is_the_expected_purchases_times_the_spend(ModelTimeUnit unit, int x, double tx, double T, double horizonDays)
    {
        var model = unit == ModelTimeUnit.Week ? Weekly : Daily;
        var horizon = TimeSpan.FromDays(horizonDays);

        var value = Clv.Of(model, 35, x, tx, T, horizon, 0, unit);

        Assert.Equal(model.ExpectedPurchases(PurchaseSummaries.Units(horizon, unit), x, tx, T) * 35, value, 9);
    }

    [Theory]
    [MemberData(nameof(Histories))]
    public void The_higher_the_discount_rate_the_lower_the_value(ModelTimeUnit unit, int x, double tx, double T, double horizonDays)
    {
        var model = unit == ModelTimeUnit.Week ? Weekly : Daily;
        double[] rates = [0, 0.05, 0.1, 0.3];

        var values = rates.Select(d => Clv.Of(model, 35, x, tx, T, TimeSpan.FromDays(horizonDays), d, unit)).ToArray();

        Assert.All(values.Zip(values.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"{pair.Second} after {pair.First}"));
    }

    [Fact]
    public void A_year_discounted_monthly_is_the_sum_of_twelve_discounted_months()
    {
        var expected = Enumerable.Range(1, 12).Sum(m =>
            (Weekly.ExpectedPurchases(m * 365.25 / 12 / 7, 2, 30.43, 38.86) - Weekly.ExpectedPurchases((m - 1) * 365.25 / 12 / 7, 2, 30.43, 38.86))
            * 35 / Math.Pow(1.1, m / 12.0));

        Assert.Equal(expected, Clv.Of(Weekly, 35, 2, 30.43, 38.86, TimeSpan.FromDays(365.25), 0.1, ModelTimeUnit.Week), 9);
    }

    [Fact]
    public void The_value_does_not_depend_on_the_unit_the_model_was_fitted_in()
    {
        var weekly = Clv.Of(Weekly, 35, 2, 30.43, 38.86, TimeSpan.FromDays(365.25), 0.1, ModelTimeUnit.Week);
        var daily = Clv.Of(Daily, 35, 2, 30.43 * 7, 38.86 * 7, TimeSpan.FromDays(365.25), 0.1, ModelTimeUnit.Day);

        Assert.Equal(weekly, daily, 9);
    }

    [Fact]
    public void No_horizon_no_value()
    {
        Assert.Equal(0, Clv.Of(Weekly, 35, 2, 30.43, 38.86, TimeSpan.Zero, 0.1, ModelTimeUnit.Week));
    }

    [Fact]
    public void The_cheap_bound_is_never_below_the_value_and_not_far_above_it_for_a_short_horizon()
    {
        var random = new Random(5);
        for (var i = 0; i < 5000; i++)
        {
            var model = new BgNbdParameters(0.05 + (random.NextDouble() * 3), 0.5 + (random.NextDouble() * 50), 0.2 + (random.NextDouble() * 3), 0.2 + (random.NextDouble() * 5));
            var T = random.NextDouble() * 100;
            var x = random.Next(0, 40);
            var tx = x == 0 ? 0 : random.NextDouble() * T;
            var spend = (random.NextDouble() * 300) - 20;
            var horizon = TimeSpan.FromDays(random.Next(1, 800));
            var rate = random.NextDouble() * 0.5;

            var value = Clv.Of(model, spend, x, tx, T, horizon, rate, ModelTimeUnit.Week);
            var bound = Clv.AtMost(model, spend, x, tx, T, horizon, rate, ModelTimeUnit.Week);

            if (double.IsFinite(value))
            {
                Assert.True(value <= bound, $"{model}, x={x}, tx={tx}, T={T}, spend={spend}, {horizon}: {value} > {bound}");
            }
        }

        // Over a day, few drop out and the bound is close: what lets a ranking skip most customers.
        var day = Clv.Of(Weekly, 35, 2, 30.43, 38.86, TimeSpan.FromDays(1), 0, ModelTimeUnit.Week);
        Assert.InRange(Clv.AtMost(Weekly, 35, 2, 30.43, 38.86, TimeSpan.FromDays(1), 0, ModelTimeUnit.Week), day, day * 1.01);
        Assert.Equal(double.PositiveInfinity, Clv.AtMost(Weekly, 35, 2, 30.43, 38.86, TimeSpan.FromDays(1), -0.1, ModelTimeUnit.Week));
    }

    [Fact]
    public void A_fixed_historys_predictions_only_fall_as_time_passes()
    {
        // What rankings rely on to reuse a value computed earlier as an upper bound (Models/PurchaseIndex.cs).
        var random = new Random(8);
        for (var i = 0; i < 3000; i++)
        {
            var model = new BgNbdParameters(0.05 + (random.NextDouble() * 3), 0.5 + (random.NextDouble() * 50), 0.2 + (random.NextDouble() * 3), 0.2 + (random.NextDouble() * 5));
            var T = random.NextDouble() * 100;
            var x = random.Next(0, 40);
            var tx = x == 0 ? 0 : random.NextDouble() * T;
            var later = T + (random.NextDouble() * (random.Next(2) == 0 ? 0.01 : 30));
            var horizon = TimeSpan.FromDays(random.Next(1, 800));
            var rate = random.NextDouble() * 0.5;
            var spend = random.NextDouble() * 300;

            Assert.True(model.PAlive(x, tx, later) <= model.PAlive(x, tx, T) * (1 + 1e-9), $"P(alive): {model}, x={x}, tx={tx}, T={T} → {later}");
            var orders = model.ExpectedPurchases(13, x, tx, T);
            if (double.IsFinite(orders))
            {
                Assert.True(model.ExpectedPurchases(13, x, tx, later) <= orders * (1 + 1e-9), $"E[Y]: {model}, x={x}, tx={tx}, T={T} → {later}");
            }

            var clv = Clv.Of(model, spend, x, tx, T, horizon, rate, ModelTimeUnit.Week);
            if (double.IsFinite(clv))
            {
                Assert.True(Clv.Of(model, spend, x, tx, later, horizon, rate, ModelTimeUnit.Week) <= clv * (1 + 1e-9), $"CLV: {model}, x={x}, tx={tx}, T={T} → {later}");
            }
        }
    }

    [Fact]
    public void The_cheap_bounds_of_a_fixed_history_only_fall_as_time_passes_too()
    {
        // What lets rankings keep a cheap bound taken at one instant as a bound at every later one (Models/CandidateOrder.cs).
        var random = new Random(13);
        for (var i = 0; i < 3000; i++)
        {
            var model = new BgNbdParameters(0.05 + (random.NextDouble() * 3), 0.5 + (random.NextDouble() * 50), 0.2 + (random.NextDouble() * 3), 0.2 + (random.NextDouble() * 5));
            var T = random.NextDouble() * 100;
            var x = random.Next(0, 40);
            var tx = x == 0 ? 0 : random.NextDouble() * T;
            var later = T + (random.NextDouble() * (random.Next(2) == 0 ? 0.01 : 30));
            var horizon = TimeSpan.FromDays(random.Next(1, 800));
            var rate = random.NextDouble() * 0.5;
            var spend = random.NextDouble() * 300;
            var t = random.NextDouble() * 60;

            Assert.True(
                model.ExpectedPurchasesAtMost(t, x, tx, later) <= model.ExpectedPurchasesAtMost(t, x, tx, T) * (1 + 1e-9),
                $"E[Y] bound: {model}, x={x}, tx={tx}, T={T} → {later}");
            Assert.True(
                Clv.AtMost(model, spend, x, tx, later, horizon, rate, ModelTimeUnit.Week) <= Clv.AtMost(model, spend, x, tx, T, horizon, rate, ModelTimeUnit.Week) * (1 + 1e-9),
                $"CLV bound: {model}, x={x}, tx={tx}, T={T} → {later}");
        }
    }
}
