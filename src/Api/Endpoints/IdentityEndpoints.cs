using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Population;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>A store's identity resolution settings: the traits whose normalised values merge customers.</summary>
public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stores/{store}/identity").WithTags("Identity");
        group.MapGet("", GetAsync).RequireScope(Scopes.Read)
            .WithSummary("{matchTraits}: a customer that takes a normalised value of one of them another customer holds is merged into that one.");
        group.MapPut("", PutAsync).RequireScope(Scopes.Admin)
            .WithSummary("Set {matchTraits}: a list of \"email\" and/or \"phone\" (empty: no merge by traits); applies to values received from then on.");
        return app;
    }

    private static async Task<Ok<IdentityResponse>> GetAsync(string store, IGrainFactory grains) =>
        TypedResults.Ok(new IdentityResponse((await grains.GetGrain<IPopulationGrain>(store).GetIdentityAsync()).MatchTraits));

    private static async Task<Results<Ok<IdentityResponse>, ProblemHttpResult>> PutAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, 4096, "{matchTraits}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = JsonBody.UnknownFields(root, "matchTraits");
            var settings = new IdentitySettings(Traits(root, errors));
            if (errors.Count == 0 && settings.Problem() is { } reason)
            {
                errors.Add(new FieldError(null, "matchTraits", reason));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid("the identity settings were not changed", errors);
            }

            await grains.GetGrain<IPopulationGrain>(store).SetIdentityAsync(settings);
            return TypedResults.Ok(new IdentityResponse(settings.MatchTraits));
        }
    }

    private static System.Collections.Immutable.ImmutableArray<string> Traits(JsonElement root, List<FieldError> errors)
    {
        if (!root.TryGetProperty("matchTraits", out var value) || value.ValueKind != JsonValueKind.Array
            || value.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            errors.Add(new FieldError(null, "matchTraits", $"is required: a list of traits to match on ({string.Join(", ", IdentitySettings.Matchable.Select(t => $"\"{t}\""))}), possibly empty"));
            return default;
        }

        return [.. value.EnumerateArray().Select(t => t.GetString()!)];
    }
}
