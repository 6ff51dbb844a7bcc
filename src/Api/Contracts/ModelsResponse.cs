using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Api.Contracts;

/// <summary>
/// <c>GET /v1/stores/{store}/models</c>: the latest fit (null before the first) and whether customers use it; when they
/// do not (too little data, no convergence), <see cref="InUse"/> is the fit they do use, if any.
/// </summary>
public sealed record ModelsResponse(ModelFitResponse? Latest, ModelFitResponse? InUse)
{
    public static ModelsResponse From(ModelReport? latest, ModelReport? inUse) =>
        new(latest is null ? null : ModelFitResponse.From(latest), inUse is null || inUse == latest ? null : ModelFitResponse.From(inUse));
}

/// <summary>One fit: both models, the data it used, when and how long, and the potential cut points it set.</summary>
public sealed record ModelFitResponse(
    string Status,
    bool InUse,
    string TimeUnit,
    DateTimeOffset AsOf,
    DateTimeOffset FittedAt,
    double TookMs,
    int Customers,
    BgNbdResponse BgNbd,
    GammaGammaResponse GammaGamma,
    PotentialCutsResponse? Potential)
{
    public static ModelFitResponse From(ModelReport report) => new(
        StatusOf(report.BgNbd.Status),
        report.InUse,
        report.Unit == ModelTimeUnit.Week ? "week" : "day",
        report.AsOf,
        report.FittedAt,
        Math.Round(report.Took.TotalMilliseconds, 1),
        report.Customers,
        new BgNbdResponse(
            StatusOf(report.BgNbd.Status), Finite(report.BgNbd.Parameters?.R), Finite(report.BgNbd.Parameters?.Alpha), Finite(report.BgNbd.Parameters?.A), Finite(report.BgNbd.Parameters?.B),
            Finite(report.BgNbd.LogLikelihood), report.BgNbd.Customers, report.BgNbd.RepeatBuyers, report.BgNbd.Iterations, report.BgNbd.Message),
        new GammaGammaResponse(
            StatusOf(report.GammaGamma.Status), Finite(report.GammaGamma.Parameters?.P), Finite(report.GammaGamma.Parameters?.Q), Finite(report.GammaGamma.Parameters?.Gamma),
            Finite(report.GammaGamma.LogLikelihood), report.GammaGamma.Customers, report.GammaGamma.Iterations, report.GammaGamma.Message),
        report.Models is { } m
            ? new PotentialCutsResponse(Finite(m.HighFrom), Finite(m.MediumFrom), m.ClvHorizon.TotalDays, m.AnnualDiscountRate)
            : null);

    public static string StatusOf(FitStatus status) => status switch
    {
        FitStatus.Converged => "converged",
        FitStatus.NotConverged => "not_converged",
        _ => "too_little_data",
    };

    /// <summary>JSON has no NaN or infinity: a value a fit could not make finite is shown as null.</summary>
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

public sealed record BgNbdResponse(
    string Status, double? R, double? Alpha, double? A, double? B, double? LogLikelihood, int Customers, int RepeatBuyers, int Iterations, string? Message);

public sealed record GammaGammaResponse(
    string Status, double? P, double? Q, double? Gamma, double? LogLikelihood, int Customers, int Iterations, string? Message);

/// <summary>CLV at or above <see cref="HighFrom"/> is high potential, at or above <see cref="MediumFrom"/> medium; how CLV is computed.</summary>
public sealed record PotentialCutsResponse(double? HighFrom, double? MediumFrom, double ClvHorizonDays, double AnnualDiscountRate);
