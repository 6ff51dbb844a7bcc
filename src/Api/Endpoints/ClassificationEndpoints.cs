using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Population;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>A store's classification settings: fixed value-tier thresholds and lifecycle day limits.</summary>
public static class ClassificationEndpoints
{
    private static readonly string[] Fields = ["highFrom", "mediumFrom", "newDays", "activeDays", "atRiskDays", "lapsedDays"];

    public static IEndpointRouteBuilder MapClassificationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stores/{store}/classification").WithTags("Classification");
        group.MapGet("", GetAsync).RequireScope(Scopes.Read);
        group.MapPut("", PutAsync).RequireScope(Scopes.Admin)
            .WithSummary("Set {highFrom, mediumFrom} (fixed value-tier revenue thresholds; null for percentiles) and lifecycle days; customers are reclassified.");
        return app;
    }

    private static async Task<Ok<ClassificationSettings>> GetAsync(string store, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IPopulationGrain>(store).GetSettingsAsync());

    private static async Task<Results<Ok<ClassificationSettings>, ProblemHttpResult>> PutAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, 4096, "{highFrom, mediumFrom, newDays, activeDays, atRiskDays, lapsedDays}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = JsonBody.UnknownFields(root, Fields);
            var defaults = ClassificationSettings.Default;
            var settings = new ClassificationSettings(
                Number(root, "highFrom", errors),
                Number(root, "mediumFrom", errors),
                Days(root, "newDays", defaults.NewDays, errors),
                Days(root, "activeDays", defaults.ActiveDays, errors),
                Days(root, "atRiskDays", defaults.AtRiskDays, errors),
                Days(root, "lapsedDays", defaults.LapsedDays, errors));
            if (errors.Count == 0 && settings.Problem() is { } reason)
            {
                errors.Add(new FieldError(null, "$", reason));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid("the settings were not changed", errors);
            }

            await grains.GetGrain<IPopulationGrain>(store).SetSettingsAsync(settings);
            return TypedResults.Ok(settings);
        }
    }

    private static double? Number(JsonElement root, string name, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors.Add(new FieldError(null, name, "must be a finite number or null"));
            return null;
        }

        return number;
    }

    private static int Days(JsonElement root, string name, int fallback, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var days))
        {
            errors.Add(new FieldError(null, name, "must be a whole number of days"));
            return fallback;
        }

        return days;
    }
}
