using System.Globalization;
using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.DataQuality;
using CustomerGrains.Grains.Quality;
using CustomerGrains.Grains.Segments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>A store's data-quality report (README, "Data quality"): the counts, one page of a check, its key traits, a rebuild.</summary>
public static class QualityEndpoints
{
    private const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapQualityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stores/{store}/quality").WithTags("Quality");
        group.MapGet("", SummaryAsync).RequireScope(Scopes.Read)
            .WithSummary("Counts and example ids of missing key traits, invalid values, duplicates, obsolete customers (?inactiveDays=) and contradictions.");
        group.MapGet("/settings", GetSettingsAsync).RequireScope(Scopes.Read)
            .WithSummary("{keyTraits}: the traits whose absence the missing check reports.");
        group.MapPut("/settings", PutSettingsAsync).RequireScope(Scopes.Admin)
            .WithSummary("Set {keyTraits}, chosen from the known profile traits.");
        group.MapPost("/rebuild", RebuildAsync).RequireScope(Scopes.Admin)
            .WithSummary("Rebuild the report from every customer of the store, in the background; GET …/quality shows its progress.");
        group.MapGet("/{check}", PageAsync).RequireScope(Scopes.Read)
            .WithSummary($"The customers one check finds (?field=, ?inactiveDays= for obsolete), by id (obsolete: least recently active first); limit ≤ {SegmentLimits.MaxPageSize}; pass next back as after.");
        return app;
    }

    private static async Task<Results<Ok<QualityResponse>, ProblemHttpResult>> SummaryAsync(string store, string? inactiveDays, IGrainFactory grains)
    {
        if (!TryDays(inactiveDays, out var days, out var problem))
        {
            return problem!;
        }

        return TypedResults.Ok(QualityResponse.From(await grains.GetGrain<IQualityGrain>(store).SummaryAsync(days)));
    }

    private static async Task<Results<Ok<QualityPageResponse>, ProblemHttpResult>> PageAsync(
        string store, string check, string? field, string? after, string? limit, string? inactiveDays, IGrainFactory grains)
    {
        if (!QualityChecks.All.Contains(check))
        {
            return Problems.NotFound($"no quality check '{check}': the checks are {string.Join(", ", QualityChecks.All)}");
        }

        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > SegmentLimits.MaxPageSize))
        {
            return Problems.BadRequest($"limit must be a whole number from 1 to {SegmentLimits.MaxPageSize}");
        }

        if (!TryDays(inactiveDays, out var days, out var problem))
        {
            return problem!;
        }

        if (days is not null && check != QualityChecks.Obsolete)
        {
            return Problems.BadRequest($"inactiveDays applies to the {QualityChecks.Obsolete} check only");
        }

        string? position = null;
        if (after is not null && !Cursors.TryDecode(after, out position))
        {
            return Problems.BadRequest("after must be the next of a page this Api returned");
        }

        var result = await grains.GetGrain<IQualityGrain>(store).PageAsync(new QualityQuery(check, field is { Length: > 0 } ? field : null, position, size, days));
        if (result.Page is not { } page)
        {
            return Problems.BadRequest(result.Problem!);
        }

        return TypedResults.Ok(new QualityPageResponse([.. page.Items.Select(QualityItemResponse.From)], page.Next is null ? null : Cursors.Encode(page.Next)));
    }

    private static async Task<Ok<QualitySettingsResponse>> GetSettingsAsync(string store, IGrainFactory grains) =>
        TypedResults.Ok(new QualitySettingsResponse(await grains.GetGrain<IQualityGrain>(store).GetKeyTraitsAsync()));

    private static async Task<Results<Ok<QualitySettingsResponse>, ProblemHttpResult>> PutSettingsAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, 4096, "{keyTraits}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = JsonBody.UnknownFields(root, "keyTraits");
            var traits = new List<string>();
            if (!root.TryGetProperty("keyTraits", out var given) || given.ValueKind != JsonValueKind.Array
                || given.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                errors.Add(new FieldError(null, "keyTraits", "must be a list of trait names"));
            }
            else
            {
                traits.AddRange(given.EnumerateArray().Select(t => t.GetString()!));
                if (QualityChecks.KeyTraitsProblem(traits) is { } reason)
                {
                    errors.Add(new FieldError(null, "keyTraits", reason));
                }
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid("the key traits were not changed", errors);
            }

            await grains.GetGrain<IQualityGrain>(store).SetKeyTraitsAsync([.. traits]);
            return TypedResults.Ok(new QualitySettingsResponse(traits));
        }
    }

    private static async Task<Accepted<QualityRebuildResponse>> RebuildAsync(string store, IGrainFactory grains) =>
        TypedResults.Accepted($"/v1/stores/{store}/quality", QualityRebuildResponse.From(await grains.GetGrain<IQualityGrain>(store).RebuildAsync()));

    private static bool TryDays(string? text, out int? days, out ProblemHttpResult? problem)
    {
        (days, problem) = (null, null);
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && new RetentionSettings(value).Problem() is null)
        {
            days = value;
            return true;
        }

        problem = Problems.BadRequest($"inactiveDays must be a whole number of days from 1 to {RetentionSettings.MaxDays}");
        return false;
    }
}
