using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;

namespace CustomerGrains.Api.Contracts;

/// <summary>
/// A lookalike model: its definition, the status of its latest training (<c>trained</c>, <c>too_few_examples</c>,
/// <c>no_variables</c>, or <c>untrained</c> before the first), the examples it learned from, its held-out AUC and the
/// effective variables with their weights, largest first, in words ("country = es: ×2.4").
/// </summary>
public sealed record LookalikeResponse(
    string Id,
    string Seed,
    string Population,
    IReadOnlyList<string> Features,
    string Status,
    string? Message,
    DateTimeOffset? TrainedAt,
    double TookMs,
    DateTimeOffset? InUseSince,
    int Positives,
    int Negatives,
    double? HeldOutAuc,
    IReadOnlyList<LookalikeWeightResponse> Variables)
{
    public static LookalikeResponse From(LookalikeInfo info)
    {
        var training = info.Training;
        return new LookalikeResponse(
            info.Draft.Id,
            info.Draft.Seed,
            info.Draft.Population,
            info.Draft.Features.IsDefault ? [] : info.Draft.Features,
            training?.Status switch
            {
                null => "untrained",
                LookalikeStatus.Trained => "trained",
                LookalikeStatus.TooFewExamples => "too_few_examples",
                _ => "no_variables",
            },
            training?.Message,
            info.TrainedAt,
            Math.Round(info.Took.TotalMilliseconds, 1),
            info.InUseSince,
            training?.Positives ?? 0,
            training?.Negatives ?? 0,
            training?.HeldOutAuc is { } auc && double.IsFinite(auc) ? auc : null,
            [.. (training?.Model?.Weights ?? []).Select(w => new LookalikeWeightResponse(w.Feature, w.Value, w.Weight, w.OddsRatio, w.Text))]);
    }
}

public sealed record LookalikeWeightResponse(string Feature, string? Value, double Weight, double OddsRatio, string Text);

/// <summary>A customer's score under one lookalike model, with the features that weigh most in it.</summary>
public sealed record CustomerLookalikeResponse(string Id, double Score, IReadOnlyList<string> Top);
