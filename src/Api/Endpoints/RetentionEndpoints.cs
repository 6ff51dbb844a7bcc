using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Segments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>A store's retention of inactive customers: the setting, and a dry run of what it purges.</summary>
public static class RetentionEndpoints
{
    private const int DefaultSample = 100;

    public static IEndpointRouteBuilder MapRetentionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stores/{store}/retention").WithTags("Retention");
        group.MapGet("", GetAsync).RequireScope(Scopes.Read)
            .WithSummary("{inactiveDays}: customers with no activity for that many days are purged (null: kept).");
        group.MapPut("", PutAsync).RequireScope(Scopes.Admin)
            .WithSummary("Set {inactiveDays} (1–36600, or null to keep every customer); due customers are purged in bounded batches.");
        group.MapPost("/preview", PreviewAsync).RequireScope(Scopes.Admin)
            .WithSummary("{inactiveDays?, sample?} → how many customers a retention would purge now, and which (up to sample); nothing changes.");
        return app;
    }

    private static async Task<Ok<RetentionResponse>> GetAsync(string store, IGrainFactory grains) =>
        TypedResults.Ok(new RetentionResponse((await grains.GetGrain<IPopulationGrain>(store).GetRetentionAsync()).InactiveDays));

    private static async Task<Results<Ok<RetentionResponse>, ProblemHttpResult>> PutAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, 4096, "{inactiveDays}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = JsonBody.UnknownFields(root, "inactiveDays");
            if (!root.TryGetProperty("inactiveDays", out _))
            {
                errors.Add(new FieldError(null, "inactiveDays", "is required (a whole number of days, or null to keep every customer)"));
            }

            var retention = new RetentionSettings(Days(root, errors));
            if (errors.Count == 0 && retention.Problem() is { } reason)
            {
                errors.Add(new FieldError(null, "inactiveDays", reason));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid("the retention was not changed", errors);
            }

            await grains.GetGrain<IPopulationGrain>(store).SetRetentionAsync(retention);
            return TypedResults.Ok(new RetentionResponse(retention.InactiveDays));
        }
    }

    private static async Task<Results<Ok<RetentionPreviewResponse>, ProblemHttpResult>> PreviewAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, 4096, "{inactiveDays?, sample?}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = JsonBody.UnknownFields(root, "inactiveDays", "sample");
            var days = Days(root, errors) ?? (errors.Count == 0 ? (await grains.GetGrain<IPopulationGrain>(store).GetRetentionAsync()).InactiveDays : null);
            var sample = DefaultSample;
            if (root.TryGetProperty("sample", out var given) && given.ValueKind != JsonValueKind.Null
                && (given.ValueKind != JsonValueKind.Number || !given.TryGetInt32(out sample) || sample is < 0 or > SegmentLimits.MaxPageSize))
            {
                errors.Add(new FieldError(null, "sample", $"must be a whole number from 0 to {SegmentLimits.MaxPageSize}"));
            }

            if (errors.Count == 0 && days is null)
            {
                errors.Add(new FieldError(null, "inactiveDays", "is required: the store has no retention set"));
            }

            if (errors.Count == 0 && new RetentionSettings(days).Problem() is { } reason)
            {
                errors.Add(new FieldError(null, "inactiveDays", reason));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid("nothing was previewed", errors);
            }

            var preview = await grains.GetGrain<IPreviewGrain>(store).PreviewAsync(RetentionSettings.Rule(days!.Value), sample);
            return TypedResults.Ok(new RetentionPreviewResponse(days.Value, preview.Count, preview.Evaluated, preview.Sample, preview.AsOf));
        }
    }

    private static int? Days(JsonElement root, List<FieldError> errors)
    {
        if (!root.TryGetProperty("inactiveDays", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var days))
        {
            errors.Add(new FieldError(null, "inactiveDays", "must be a whole number of days or null"));
            return null;
        }

        return days;
    }
}
