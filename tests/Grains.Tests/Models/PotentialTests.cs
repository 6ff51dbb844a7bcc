using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Tests.Infrastructure;
using static CustomerGrains.Grains.Tests.Infrastructure.Events;

namespace CustomerGrains.Grains.Tests.Models;

/// <summary>
/// What the store's purchase models predict moves customers live: by their events, by time alone (P(alive) falls as a
/// silent customer ages, and a deadline wakes it where a rule's threshold is crossed), and by a refit.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PotentialTests(ClusterFixture cluster)
{
    // The published CDNOW fits (Fader, Hardie & Lee 2005), in weeks.
    private static readonly BgNbdParameters Cdnow = new(0.243, 4.414, 0.793, 2.426);
    private static readonly GammaGammaParameters CdnowSpend = new(6.25, 3.74, 15.44);

    [Fact]
    public async Task A_silent_repeat_buyer_enters_a_p_alive_segment_at_the_instant_the_threshold_is_crossed_with_no_event()
    {
        var store = new TestStore(cluster);
        var start = Midnight(cluster.Time.GetUtcNow());
        await SetModelsAsync(store, Models(start));
        await store.CreateSegmentAsync("slipping-big-spenders", "p_alive < 0.3 and revenue >= 500");

        // Three purchase days: 20 and 10 weeks ago, and 4 weeks ago (x = 2, t_x = 16 weeks).
        var first = start.AddDays(-140);
        await store.RecordAsync(Order("o1", "sam", first, 200), Order("o2", "sam", first.AddDays(70), 200), Order("o3", "sam", first.AddDays(112), 200));
        var view = (await store.ViewAsync("sam"))!;
        Assert.InRange(view.Prediction!.PAlive!.Value, 0.3, 1);
        Assert.Null((await store.MemberAsync("slipping-big-spenders", "sam")).Member);

        // BG/NBD: P(alive) = 1 / (1 + a/(b+x-1) · ((α+T)/(α+t_x))^(r+x)); it is 0.3 where
        // T = (α+t_x) · ((1/0.3 − 1)(b+x−1)/a)^(1/(r+x)) − α weeks after the first purchase day.
        const int x = 2;
        const double tx = 16;
        var weeks = ((Cdnow.Alpha + tx) * Math.Pow((1 / 0.3 - 1) * (Cdnow.B + x - 1) / Cdnow.A, 1 / (Cdnow.R + x))) - Cdnow.Alpha;
        var crossing = first + TimeSpan.FromDays(weeks * 7);
        Assert.True(crossing > start, $"crossing {crossing:O} is not after the start");

        // The store's lifecycle segments wake the customer before that; just before the crossing, its next deadline is the crossing.
        cluster.Time.SetUtcNow(crossing.AddSeconds(-1));
        var limit = DateTime.UtcNow.AddSeconds(20);
        DateTimeOffset due;
        while ((due = await store.StoredDeadlineAsync("sam")) < crossing.AddSeconds(-2))
        {
            Assert.True(DateTime.UtcNow < limit, $"the next deadline stayed at {due:O}");
            await Task.Delay(10);
        }

        AssertAbout(crossing, due);
        Assert.Null((await store.MemberAsync("slipping-big-spenders", "sam")).Member);
        cluster.Time.SetUtcNow(crossing.AddSeconds(1));
        var entered = await store.WaitForMemberAsync("slipping-big-spenders", "sam", member: true);
        Assert.True(
            entered!.Cause.StartsWith("deadline:", StringComparison.Ordinal) || entered.Cause.StartsWith("segment:", StringComparison.Ordinal),
            $"moved by {entered.Cause}, not by time");
        Assert.InRange((await store.ViewAsync("sam"))!.Prediction!.PAlive!.Value, 0, 0.3);

        // A new order brings it back to life, at once.
        await store.RecordAsync(Order("o4", "sam", crossing.AddSeconds(2), 50));
        Assert.Null((await store.MemberAsync("slipping-big-spenders", "sam")).Member);
    }

    [Fact]
    public async Task Expected_orders_for_any_horizon_and_the_potential_tier_follow_the_model_and_a_new_model_re_decides_the_store()
    {
        var store = new TestStore(cluster);
        var start = Midnight(cluster.Time.GetUtcNow());
        var models = Models(start);
        await SetModelsAsync(store, models);
        await store.CreateSegmentAsync("buying-soon", "expected_orders(30d) >= 0.5");
        await store.CreateSegmentAsync("high-potential", "potential == \"high\"");

        // A frequent buyer (a purchase a week for ten weeks, the last yesterday) and a one-off.
        await store.RecordAsync([.. Enumerable.Range(0, 10).Select(w => Order($"f{w}", "frequent", start.AddDays(-1 - (7 * w)), 40))]);
        await store.RecordAsync(Order("once", "oneoff", start.AddDays(-200), 40));
        var frequent = (await store.ViewAsync("frequent"))!.Prediction!;
        var oneoff = (await store.ViewAsync("oneoff"))!.Prediction!;
        Assert.True(frequent.ExpectedOrders90d > oneoff.ExpectedOrders90d, $"{frequent.ExpectedOrders90d} vs {oneoff.ExpectedOrders90d}");
        Assert.True(frequent.Clv > models.HighFrom, $"clv {frequent.Clv}");
        Assert.Equal("high", frequent.Potential);
        Assert.Equal("low", oneoff.Potential);
        Assert.NotNull((await store.MemberAsync("buying-soon", "frequent")).Member);
        Assert.Null((await store.MemberAsync("buying-soon", "oneoff")).Member);
        Assert.NotNull((await store.MemberAsync("high-potential", "frequent")).Member);

        // A refit whose cut points put everyone below high: the store's customers are re-decided with no event.
        await SetModelsAsync(store, models with { HighFrom = 1e9, MediumFrom = 1e8, FittedAt = start.AddSeconds(1) });
        await store.WaitForMemberAsync("high-potential", "frequent", member: false);
        Assert.Equal("low", (await store.ViewAsync("frequent"))!.Prediction!.Potential);
    }

    [Fact]
    public async Task A_prospect_has_unknown_potential_and_a_customer_without_a_model_has_no_prediction()
    {
        var store = new TestStore(cluster);
        var start = cluster.Time.GetUtcNow();
        await store.RecordAsync(Visit("v1", "pat", start), Order("o1", "olga", start, 30));
        Assert.Null((await store.ViewAsync("olga"))!.Prediction);

        await SetModelsAsync(store, Models(start));
        var pat = (await store.ViewAsync("pat"))!.Prediction!;
        Assert.Equal("unknown", pat.Potential);
        Assert.Equal("prospect", pat.ValuePotential);
        Assert.Null(pat.PAlive);
        Assert.Equal(1, (await store.ViewAsync("olga"))!.Prediction!.PAlive);
    }

    [Fact]
    public async Task A_fit_reads_the_purchase_index_and_reports_too_little_data_without_changing_the_models_in_use()
    {
        var store = new TestStore(cluster);
        var start = Midnight(cluster.Time.GetUtcNow());
        await store.RecordAsync([.. Enumerable.Range(0, 30).SelectMany(c => new[]
        {
            Order($"a{c}", $"c{c}", start.AddDays(-100 + c), 20),
            Order($"b{c}", $"c{c}", start.AddDays(-50 + c), 30),
        })]);
        Assert.Equal(30, await cluster.ScalarAsync("SELECT COUNT(*) FROM cg_purchases WHERE store = @store", ("@store", store.Id)));

        var report = await cluster.Grains.GetGrain<IModelGrain>(store.Id).FitAsync(null, ModelTimeUnit.Week);
        Assert.Equal(FitStatus.TooLittleData, report.BgNbd.Status);
        Assert.Null(report.BgNbd.Parameters);
        Assert.False(report.InUse);
        Assert.Equal(30, report.Customers);
        Assert.Null((await store.ViewAsync("c1"))!.Prediction);
        var (latest, inUse) = await cluster.Grains.GetGrain<IModelGrain>(store.Id).GetAsync();
        Assert.Equal(report, latest);
        Assert.Null(inUse);
    }

    [Fact]
    public async Task The_schedule_refits_a_store_once_its_last_try_is_a_refit_interval_old()
    {
        var store = new TestStore(cluster);
        await store.RecordAsync(Order("o1", "a", cluster.Time.GetUtcNow(), 10));
        var grain = cluster.Grains.GetGrain<IModelGrain>(store.Id);

        await grain.RefitIfDueAsync();
        var first = (await grain.GetAsync()).Latest!;
        Assert.Equal(FitStatus.TooLittleData, first.BgNbd.Status);

        // Tried a moment ago: not due, even though it found too little data.
        cluster.Time.Advance(TimeSpan.FromHours(23));
        await grain.RefitIfDueAsync();
        Assert.Equal(first.FittedAt, (await grain.GetAsync()).Latest!.FittedAt);

        // A day (Models:RefitEvery) after the last try: due.
        cluster.Time.Advance(TimeSpan.FromHours(1));
        await grain.RefitIfDueAsync();
        Assert.Equal(first.FittedAt.AddDays(1), (await grain.GetAsync()).Latest!.FittedAt);
    }

    private static StoreModels Models(DateTimeOffset fittedAt) =>
        new(Cdnow, CdnowSpend, ModelTimeUnit.Week, TimeSpan.FromDays(365), 0.1, HighFrom: 100, MediumFrom: 30, fittedAt);

    private static DateTimeOffset Midnight(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    private async Task SetModelsAsync(TestStore store, StoreModels models)
    {
        await cluster.Grains.GetGrain<IPopulationGrain>(store.Id).SetModelsAsync(models);

        // Each silo re-reads the store's population within its cache time; wait until they all have these models.
        var limit = DateTime.UtcNow.AddSeconds(20);
        foreach (var cache in cluster.SiloServices.Select(s => (PopulationCache)s.GetService(typeof(PopulationCache))!))
        {
            while ((await cache.GetAsync(store.Id)).Models != models)
            {
                Assert.True(DateTime.UtcNow < limit, "the silos did not take the new models");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>A deadline found by the search falls within a second of the instant the formula gives.</summary>
    private static void AssertAbout(DateTimeOffset boundary, DateTimeOffset due) =>
        Assert.True((due - boundary).Duration() < TimeSpan.FromSeconds(1), $"due at {due:O}, expected at {boundary:O}");

}
