using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Tests.Feed;

public sealed class DwellTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    [Fact]
    public void A_stay_shorter_than_the_dwell_is_not_told_and_a_longer_one_is_told_once_it_has_lasted()
    {
        Assert.Equal(DwellVerdict.Suppress, Dwell.OfEntry(T, T.AddMinutes(9), TenMinutes, T.AddHours(1)));
        Assert.Equal(DwellVerdict.Suppress, Dwell.OfExit(T.AddMinutes(9), T, TenMinutes));
        Assert.Equal(DwellVerdict.Announce, Dwell.OfEntry(T, T.AddMinutes(10), TenMinutes, T.AddHours(1)));
        Assert.Equal(DwellVerdict.Announce, Dwell.OfExit(T.AddMinutes(10), T, TenMinutes));
        Assert.Equal(DwellVerdict.Hold, Dwell.OfEntry(T, null, TenMinutes, T.AddMinutes(9)));
        Assert.Equal(DwellVerdict.Announce, Dwell.OfEntry(T, null, TenMinutes, T.AddMinutes(10)));
        Assert.Equal(DwellVerdict.Announce, Dwell.OfExit(T, null, TenMinutes));
    }

    [Fact]
    public void Whatever_the_flapping_what_is_told_alternates_and_ends_in_the_customers_membership()
    {
        var random = new Random(4);
        for (var run = 0; run < 500; run++)
        {
            // A customer's alternating entries and exits at random gaps, some shorter than the dwell.
            var changes = new List<(bool Entered, DateTimeOffset At)>();
            var at = T;
            for (var i = 0; i < random.Next(1, 12); i++)
            {
                at = at.AddMinutes(random.Next(1, 25));
                changes.Add((i % 2 == 0, at));
            }

            var now = at.AddMinutes(random.Next(0, 20));
            var told = new List<bool>();
            for (var i = 0; i < changes.Count; i++)
            {
                var verdict = changes[i].Entered
                    ? Dwell.OfEntry(changes[i].At, i + 1 < changes.Count ? changes[i + 1].At : null, TenMinutes, now)
                    : Dwell.OfExit(changes[i].At, changes[i - 1].At, TenMinutes);
                if (verdict == DwellVerdict.Hold)
                {
                    break;
                }

                if (verdict == DwellVerdict.Announce)
                {
                    told.Add(changes[i].Entered);
                }
            }

            Assert.True(told.Select((entered, i) => entered == (i % 2 == 0)).All(x => x), string.Join(",", told));
            var heldBack = changes[^1].Entered && now - changes[^1].At < TenMinutes;
            Assert.Equal(changes[^1].Entered && !heldBack, told.Count % 2 == 1);
        }
    }
}
