using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Models;

/// <summary>
/// Lookalike prospects on a store whose truth is planted: its best customers come mostly from Spain and Germany, run,
/// and visit often. A model learnt from the "best" segment names those variables, scores prospects who share them
/// above those who do not, live (a rule reads the score), and explains each score.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LookalikeTests(ClusterFixture cluster)
{
    private static readonly string[] Countries = ["es", "de", "fr", "it", "pt", "nl", "be", "pl"];
    private static readonly string[] Hobbies = ["chess", "cooking", "cinema", "gardening", "travel"];

    [Fact]
    public async Task A_model_of_the_best_customers_names_the_planted_variables_and_scores_lookalike_prospects_live()
    {
        var store = new TestStore(cluster);
        var now = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("best", "revenue >= 500");
        await PlantAsync(store, now);
        var grain = cluster.Grains.GetGrain<ILookalikeGrain>(store.Id);

        // A rule on a model that does not exist yet is refused.
        var early = await cluster.Grains.GetGrain<ISegmentCatalogGrain>(store.Id)
            .CreateAsync(new SegmentDraft("twins", "twins", null, "lookalike(\"best-twins\") >= 0.7"));
        Assert.Equal(CatalogOutcome.InvalidRule, early.Outcome);
        Assert.Contains("best-twins", early.Error, StringComparison.Ordinal);

        var (info, created, error) = await grain.PutAsync(new LookalikeDraft("best-twins", "best", "orders == 0", []));
        Assert.Null(error);
        Assert.True(created);
        var training = info!.Training!;
        Assert.Equal(LookalikeStatus.Trained, training.Status);
        Assert.Equal(200, training.Positives);
        Assert.True(training.HeldOutAuc >= 0.8, $"held-out AUC {training.HeldOutAuc}");

        // The planted variables lead; gender, drawn at random, is not among the leaders.
        var top = training.Model!.Weights.Take(4).Select(w => w.Value is null ? w.Feature : $"{w.Feature}={w.Value}").ToList();
        foreach (var planted in new[] { "country=es", "country=de", "interests=running", "visits" })
        {
            Assert.Contains(planted, top);
        }

        Assert.All(training.Model.Weights.Where(w => w.Feature == "gender"), w => Assert.InRange(w.OddsRatio, 1 / 1.5, 1.5));

        // Prospects who share the planted traits score above those who do not, and a rule reads the score.
        await store.RecordAsync(Profile("pp1", "twin", now, "es", "running"), Profile("pp2", "stranger", now, "fr", "chess"));
        await store.RecordAsync([.. Enumerable.Range(0, 12).Select(v => Visit($"tv{v}", "twin", now.AddHours(-v)))]);
        await store.RecordAsync(Visit("sv", "stranger", now));
        var twin = await ScoreAsync(store, "twin");
        var stranger = await ScoreAsync(store, "stranger");
        Assert.True(twin.Score > 0.7 && stranger.Score < 0.3, $"twin {twin.Score}, stranger {stranger.Score}");
        Assert.Contains(twin.Top, t => t.StartsWith("country = es", StringComparison.Ordinal) || t.StartsWith("interests = running", StringComparison.Ordinal));
        Assert.Empty((await store.ViewAsync("b0"))!.Lookalikes);

        // The top prospects by the score (every prospect, customers with orders are outside the population): the twin
        // leads, the stranger is in the bottom half.
        var ranked = await cluster.Grains.GetGrain<IRankingGrain>(store.Id).RankAsync(new RankingQuery("lookalike:best-twins", true, null, 1000, null, null));
        var prospects = ranked.Items.Select(i => i.CustomerId).ToList();
        Assert.Equal("twin", prospects[0]);
        Assert.InRange(prospects.IndexOf("stranger"), prospects.Count / 2, prospects.Count - 1);
        Assert.DoesNotContain("b0", prospects);
        Assert.Equal(twin.Score, ranked.Items[0].Value, 9);

        await store.CreateSegmentAsync("twins", "lookalike(\"best-twins\") >= 0.7");
        Assert.NotNull((await store.MemberAsync("twins", "twin")).Member);
        Assert.Null((await store.MemberAsync("twins", "stranger")).Member);
        Assert.Equal("high", (await store.ViewAsync("twin"))!.Prediction!.Potential);

        // A model a segment reads cannot be deleted; the definition is checked.
        var (found, readBy) = await grain.DeleteAsync("best-twins");
        Assert.True(found);
        Assert.Equal(["twins"], readBy.ToArray());
        Assert.NotNull(await grain.GetAsync("best-twins"));
        Assert.Contains("seed", (await grain.PutAsync(new LookalikeDraft("x", "nope", "orders == 0", []))).Error, StringComparison.Ordinal);
        Assert.Contains("population", (await grain.PutAsync(new LookalikeDraft("x", "best", "lookalike(\"best-twins\") > 0", []))).Error, StringComparison.Ordinal);
        Assert.Contains("features", (await grain.PutAsync(new LookalikeDraft("x", "best", "orders == 0", ["shoe_size"]))).Error, StringComparison.Ordinal);
        Assert.Null(await grain.GetAsync("x"));
    }

    [Fact]
    public async Task Too_few_seed_members_is_a_status_not_a_model()
    {
        var store = new TestStore(cluster);
        var now = cluster.Time.GetUtcNow();
        await store.CreateSegmentAsync("vip", "revenue >= 1000");
        await store.RecordAsync(Order("o1", "rich", now, 2000), Visit("v1", "poor", now));
        var (info, _, error) = await cluster.Grains.GetGrain<ILookalikeGrain>(store.Id).PutAsync(new LookalikeDraft("vip-twins", "vip", "orders == 0", ["country", "visits"]));
        Assert.Null(error);
        Assert.Equal(LookalikeStatus.TooFewExamples, info!.Training!.Status);
        Assert.Null(info.Training.Model);
        Assert.Contains("20", info.Training.Message, StringComparison.Ordinal);
        Assert.Empty((await store.ViewAsync("poor"))!.Lookalikes);
    }

    /// <summary>
    /// 200 best customers (revenue 600): 80 % from Spain or Germany, 70 % runners, 8–15 visits. 600 others: country at
    /// random, 15 % runners, 1–6 visits, half of them with one small order. Gender at random for all (a weak variable).
    /// </summary>
    private static async Task PlantAsync(TestStore store, DateTimeOffset now)
    {
        var random = new Random(7);
        for (var i = 0; i < 800; i++)
        {
            var best = i < 200;
            var id = best ? $"b{i}" : $"o{i}";
            var country = best && random.NextDouble() < 0.8 ? Countries[random.Next(2)] : Countries[random.Next(Countries.Length)];
            var runs = random.NextDouble() < (best ? 0.7 : 0.15);
            var events = new List<CustomerEvent>
            {
                Profile($"{id}-p", id, now.AddDays(-30), country, runs ? "running" : Hobbies[random.Next(Hobbies.Length)], random.Next(2) == 0 ? "f" : "m"),
            };
            var visits = best ? random.Next(8, 16) : random.Next(1, 7);
            events.AddRange(Enumerable.Range(0, visits).Select(v => Visit($"{id}-v{v}", id, now.AddDays(-v))));
            if (best || random.NextDouble() < 0.5)
            {
                events.Add(Order($"{id}-o", id, now.AddDays(-2), best ? 600 : 40));
            }

            await store.RecordAsync([.. events]);
        }
    }

    private static CustomerEvent Profile(string id, string customer, DateTimeOffset at, string country, string interest, string gender = "f") =>
        Make(id, customer, EventTypes.Identify, at,
            ("country", PropertyValue.Of(country)),
            ("gender", PropertyValue.Of(gender)),
            ("interests", PropertyValue.Of(ImmutableArray.Create(interest, "music"))));

    private static async Task<Evaluation.CustomerLookalike> ScoreAsync(TestStore store, string customer) =>
        Assert.Single((await store.ViewAsync(customer))!.Lookalikes, l => l.Id == "best-twins");
}
