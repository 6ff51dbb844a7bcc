using System.Collections.Immutable;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Grains.Tests.Prediction;

/// <summary>Scoring and explaining with a hand-made model: what counts, what counts once, what does not count.</summary>
public sealed class LookalikeModelTests
{
    // bias −1; country ES +2, rare countries −0.5; interests running +1.5, yoga 0 (no rare bucket);
    // visits: mean 5, standard deviation 2, +0.5 per standard deviation.
    private static readonly LookalikeModel Model = new(
        -1,
        ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, ImmutableDictionary<string, double>>
        {
            ["country"] = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double> { ["ES"] = 2, ["FR"] = -0.25, [LookalikeModel.Other] = -0.5 }),
            ["interests"] = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, double> { ["running"] = 1.5, ["yoga"] = 0 }),
        }),
        ImmutableDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, LookalikeNumber> { ["visits_30d"] = new(5, 2, 0.5) }));

    [Theory]
    [InlineData("ES", "running", 9.0, 3.5)] // −1 + 2 + 1.5 + 0.5 × (9 − 5) / 2
    [InlineData("ES", "running,running,yoga", 9.0, 3.5)] // a value listed twice counts once; yoga weighs nothing
    [InlineData("FR", "", 5.0, -1.25)] // the average number adds nothing
    [InlineData("JP", "", 5.0, -1.5)] // a country never seen is a rare one
    [InlineData("JP,BR", "", 5.0, -1.5)] // two rare values are one "other"
    [InlineData("ES", "chess", 5.0, 1.0)] // interests has no rare bucket: an unseen interest counts nothing
    [InlineData("ES", "", double.NaN, 1.0)] // not a number: as if absent
    [InlineData("ES", "", 1.0, 0.0)] // two standard deviations below the mean
    public void The_score_is_the_sigmoid_of_the_bias_plus_each_value_and_number(string countries, string interests, double visits, double logOdds)
    {
        var subject = Subject(countries, interests, visits);

        Assert.Equal(logOdds, Model.LogOdds(subject), 12);
        Assert.Equal(1 / (1 + Math.Exp(-logOdds)), Model.Score(subject), 12);
    }

    [Fact]
    public void Fields_and_numbers_the_model_does_not_know_and_missing_ones_count_nothing()
    {
        var bare = new LookalikeSubject(new Dictionary<string, IReadOnlyList<string>>(), new Dictionary<string, double>());
        var unknown = new LookalikeSubject(
            new Dictionary<string, IReadOnlyList<string>> { ["loyalty"] = ["gold"] },
            new Dictionary<string, double> { ["orders"] = 40 });

        Assert.Equal(-1, Model.LogOdds(bare), 12);
        Assert.Equal(-1, Model.LogOdds(unknown), 12);
        Assert.Empty(Model.Explain(unknown));
    }

    [Theory]
    [InlineData(-800.0)]
    [InlineData(800.0)]
    public void Extreme_numbers_saturate_the_score_without_overflow(double visits)
    {
        var score = Model.Score(Subject("ES", "", visits));

        Assert.Equal(visits > 0 ? 1 : 0, score, 12);
    }

    [Fact]
    public void Explain_lists_the_largest_contributions_first_with_what_a_marketer_reads()
    {
        var subject = Subject("ES", "running,yoga", 3);

        var all = Model.Explain(subject, top: 10);

        Assert.Equal(
            ["country = ES: ×7.4", "interests = running: ×4.5", "visits_30d = 3 (average 5): ×0.61"],
            all.Select(c => c.Text));
        Assert.Equal([2, 1.5, -0.5], all.Select(c => c.LogOdds));
        Assert.Equal([null, "ES", "running"], all.Select(c => c.Value).Order());
        Assert.Equal(2, Model.Explain(subject, top: 2).Count);
        Assert.Equal(Model.LogOdds(subject), Model.Bias + all.Sum(c => c.LogOdds), 12);
    }

    [Fact]
    public void An_unseen_value_is_explained_as_the_rare_bucket()
    {
        var contribution = Assert.Single(Model.Explain(Subject("JP", "", 5)));

        Assert.Equal(("country", LookalikeModel.Other, -0.5), (contribution.Feature, contribution.Value, contribution.LogOdds));
        Assert.Equal("country = other: ×0.61", contribution.Text);
    }

    [Fact]
    public void Weights_are_the_non_zero_variables_largest_first()
    {
        Assert.Equal(
            ["country = ES: ×7.4", "interests = running: ×4.5", "country = other: ×0.61", "visits_30d: ×1.6 per +2", "country = FR: ×0.78"],
            Model.Weights.Select(w => w.Text));
        var visits = Model.Weights.Single(w => w.Feature == "visits_30d");
        Assert.Equal((null, 0.5, Math.Exp(0.5)), (visits.Value, visits.Weight, visits.OddsRatio));
    }

    [Theory]
    [InlineData(3.24, "3.2")]
    [InlineData(0.0123, "0.012")]
    [InlineData(150.4, "150")]
    [InlineData(2, "2")]
    [InlineData(-0.556, "-0.56")]
    [InlineData(0, "0")]
    [InlineData(2.5e9, "2.5E+9")]
    public void Numbers_read_with_two_significant_digits(double value, string text)
    {
        Assert.Equal(text, LookalikeText.Short(value));
    }

    [Theory]
    [InlineData("0.1-,0.9+", 1.0)]
    [InlineData("0.9-,0.1+", 0.0)]
    [InlineData("0.5-,0.5+", 0.5)]
    [InlineData("0.1-,0.4+,0.45-,0.8+", 0.75)]
    [InlineData("0.2-,0.2+,0.2+,0.9-", 0.25)]
    [InlineData("0.1+,0.9+", null)]
    public void The_AUC_is_the_chance_a_positive_outscores_a_negative(string scored, double? auc)
    {
        var pairs = scored.Split(',').Select(s => (double.Parse(s[..^1], System.Globalization.CultureInfo.InvariantCulture), s[^1] == '+')).ToList();

        Assert.Equal(auc, LookalikeTrainer.Auc(pairs));
    }

    private static LookalikeSubject Subject(string countries, string interests, double visits) => new(
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["country"] = countries.Split(',', StringSplitOptions.RemoveEmptyEntries),
            ["interests"] = interests.Split(',', StringSplitOptions.RemoveEmptyEntries),
        },
        new Dictionary<string, double> { ["visits_30d"] = visits });
}
