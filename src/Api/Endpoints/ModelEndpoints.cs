using System.Globalization;
using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>A store's purchase models (BG/NBD, Gamma-Gamma): the current fits, and a refit on demand.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stores/{store}/models").WithTags("Models");
        group.MapGet("", GetAsync).RequireScope(Scopes.Read)
            .WithSummary("The latest fit of the store's purchase models (parameters, log-likelihood, data, status) and the one in use.");
        group.MapPost("/fit", FitAsync).RequireScope(Scopes.Admin)
            .WithSummary("Refit now: {asOf?, timeUnit?: \"day\"|\"week\"}; answers with the fit once it is done.");
        return app;
    }

    private static async Task<Ok<ModelsResponse>> GetAsync(string store, IGrainFactory grains)
    {
        var (latest, inUse) = await grains.GetGrain<IModelGrain>(store).GetAsync();
        return TypedResults.Ok(ModelsResponse.From(latest, inUse));
    }

    private static async Task<Results<Ok<ModelFitResponse>, ProblemHttpResult>> FitAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        DateTimeOffset? asOf = null;
        ModelTimeUnit? unit = null;
        if (request.ContentLength is not 0)
        {
            var (document, problem) = await JsonBody.ReadObjectAsync(request, 1024, "{asOf?, timeUnit?}", ct);
            if (problem is not null)
            {
                return problem;
            }

            using (document)
            {
                var errors = new List<FieldError>();
                foreach (var field in document!.RootElement.EnumerateObject())
                {
                    switch (field.Name)
                    {
                        case "asOf" when field.Value.ValueKind == JsonValueKind.Null:
                            break;
                        case "asOf" when field.Value.ValueKind == JsonValueKind.String
                            && DateTimeOffset.TryParse(field.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                            asOf = at.ToUniversalTime();
                            break;
                        case "asOf":
                            errors.Add(new FieldError(null, "asOf", "must be an ISO 8601 date or time, e.g. 1997-09-30 or 2026-11-23T10:00:00Z"));
                            break;
                        case "timeUnit" when field.Value.ValueKind == JsonValueKind.Null:
                            break;
                        case "timeUnit" when field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() is "day" or "week":
                            unit = field.Value.GetString() == "day" ? ModelTimeUnit.Day : ModelTimeUnit.Week;
                            break;
                        case "timeUnit":
                            errors.Add(new FieldError(null, "timeUnit", "must be \"day\" or \"week\""));
                            break;
                        default:
                            errors.Add(new FieldError(null, field.Name, "unknown field"));
                            break;
                    }
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid("nothing was fitted", errors);
                }
            }
        }

        return TypedResults.Ok(ModelFitResponse.From(await grains.GetGrain<IModelGrain>(store).FitAsync(asOf, unit)));
    }
}
