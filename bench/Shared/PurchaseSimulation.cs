using CustomerGrains.Grains.Prediction;
using MathNet.Numerics.Distributions;

namespace CustomerGrains.Bench;

/// <summary>
/// Customers drawn from the BG/NBD and Gamma-Gamma models themselves: what the model-fit benchmark fits and the
/// recovery test checks the fit against. Each customer, independently, with one seeded <see cref="Random"/>:
/// <list type="number">
/// <item>a purchase rate λ ~ Gamma(shape r, rate α), a dropout probability p ~ Beta(a, b) and a spend rate ν ~ Gamma(shape q, rate γ);</item>
/// <item>a first purchase at a time uniform in [0, <c>cohort</c>) (the window's start is 0), observed until <c>end</c>;</item>
/// <item>from the first purchase, waits Exp(λ) for each next purchase while alive and before <c>end</c>; after each
/// repeat purchase it drops out with probability p (not after the first: in the BG/NBD a customer drops out only right after a repeat purchase);</item>
/// <item>every purchase, the first included, has a value ~ Gamma(shape p, rate ν).</item>
/// </list>
/// Times are in the parameters' unit; the parameters' time unit is whatever α was given in.
/// </summary>
internal static class PurchaseSimulation
{
    /// <summary>One simulated customer: when its purchases happened (the first is the customer's start) and their values.</summary>
    public sealed record Customer(double[] Times, double[] Values);

    public static IEnumerable<Customer> Customers(BgNbdParameters bgNbd, GammaGammaParameters spend, int count, double cohort, double end, int seed)
    {
        var random = new Random(seed);
        var times = new List<double>();
        var values = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var lambda = Gamma.Sample(random, bgNbd.R, bgNbd.Alpha);
            var dropout = Beta.Sample(random, bgNbd.A, bgNbd.B);
            var nu = Gamma.Sample(random, spend.Q, spend.Gamma);
            times.Clear();
            values.Clear();
            var t = random.NextDouble() * cohort;
            times.Add(t);
            values.Add(Gamma.Sample(random, spend.P, nu));
            while (true)
            {
                t += -Math.Log(1 - random.NextDouble()) / lambda;
                if (t > end)
                {
                    break;
                }

                times.Add(t);
                values.Add(Gamma.Sample(random, spend.P, nu));
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }

            yield return new Customer([.. times], [.. values]);
        }
    }

    /// <summary>The customer's summary at <paramref name="end"/> in continuous time (no days: x counts purchases, not purchase days).</summary>
    public static RepeatSummary Summary(Customer customer, double end)
    {
        var x = customer.Times.Length - 1;
        return new RepeatSummary(
            x,
            customer.Times[^1] - customer.Times[0],
            end - customer.Times[0],
            x == 0 ? 0 : customer.Values.Skip(1).Average());
    }
}
