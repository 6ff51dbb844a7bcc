// TEMPORARY: the contract of the Prediction room, replaced by the real implementation at merge.
namespace CustomerGrains.Grains.Prediction;

public enum ModelTimeUnit { Day, Week }

[GenerateSerializer, Immutable, Alias("cg.PurchaseDay")]
public readonly record struct PurchaseDay([property: Id(0)] int Day, [property: Id(1)] double Revenue);

public readonly record struct RepeatSummary(int X, double Tx, double T, double RepeatMeanValue);

public static class PurchaseSummaries
{
    public static RepeatSummary? Of(ReadOnlySpan<PurchaseDay> days, DateTimeOffset asOf, ModelTimeUnit unit) => throw new NotImplementedException();
    public static PurchaseDay[] Days(IEnumerable<(DateTimeOffset At, double Revenue)> orders) => throw new NotImplementedException();
    public static double Units(TimeSpan span, ModelTimeUnit unit) => throw new NotImplementedException();
}

[GenerateSerializer, Immutable, Alias("cg.BgNbd")]
public sealed record BgNbdParameters([property: Id(0)] double R, [property: Id(1)] double Alpha, [property: Id(2)] double A, [property: Id(3)] double B)
{
    public double PAlive(int x, double tx, double T) => throw new NotImplementedException();
    public double ExpectedPurchases(double t, int x, double tx, double T) => throw new NotImplementedException();
}

[GenerateSerializer, Immutable, Alias("cg.GammaGamma")]
public sealed record GammaGammaParameters([property: Id(0)] double P, [property: Id(1)] double Q, [property: Id(2)] double Gamma)
{
    public double ExpectedMeanSpend(int x, double meanValue) => throw new NotImplementedException();
}

public enum FitStatus { Converged, NotConverged, TooLittleData }

[GenerateSerializer, Immutable, Alias("cg.BgNbdFit")]
public sealed record BgNbdFit([property: Id(0)] BgNbdParameters? Parameters, [property: Id(1)] double LogLikelihood, [property: Id(2)] int Customers, [property: Id(3)] int RepeatBuyers, [property: Id(4)] FitStatus Status, [property: Id(5)] int Iterations, [property: Id(6)] string? Message);

[GenerateSerializer, Immutable, Alias("cg.GammaGammaFit")]
public sealed record GammaGammaFit([property: Id(0)] GammaGammaParameters? Parameters, [property: Id(1)] double LogLikelihood, [property: Id(2)] int Customers, [property: Id(3)] FitStatus Status, [property: Id(4)] int Iterations, [property: Id(5)] string? Message);

public sealed record FitOptions(int MinRepeatBuyers = 100, int MaxIterations = 2000, double Tolerance = 1e-8);

public static class PurchaseModels
{
    public static BgNbdFit FitBgNbd(IReadOnlyList<RepeatSummary> customers, FitOptions? options = null) => throw new NotImplementedException();
    public static GammaGammaFit FitGammaGamma(IReadOnlyList<RepeatSummary> customers, FitOptions? options = null) => throw new NotImplementedException();
}

public static class Clv
{
    public static double Of(BgNbdParameters bgNbd, double expectedSpend, int x, double tx, double T, TimeSpan horizon, double annualDiscountRate, ModelTimeUnit unit) => throw new NotImplementedException();
}

