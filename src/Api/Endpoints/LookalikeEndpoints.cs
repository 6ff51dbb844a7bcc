using System.Collections.Immutable;
using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Rules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// A store's lookalike models: learn what separates a seed segment's members from the other customers, and score the
/// customers a population rule selects (<c>lookalike("id")</c> in rules, scores on the customer view).
/// </summary>
public static class LookalikeEndpoints
{
    public static IEndpointRouteBuilder MapLookalikeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stores/{store}/lookalikes").WithTags("Lookalikes");
        group.MapPost("", PutAsync).RequireScope(Scopes.Admin)
            .WithSummary("Create or replace {id, seed, population, features?} and train it now; answers with the training.");
        group.MapGet("", ListAsync).RequireScope(Scopes.Read);
        group.MapGet("/{id}", GetAsync).RequireScope(Scopes.Read)
            .WithSummary("Status, trained at, positives/negatives, held-out AUC and the effective variables with their weights.");
        group.MapPost("/{id}/train", TrainAsync).RequireScope(Scopes.Admin).WithSummary("Train again now.");
        group.MapDelete("/{id}", DeleteAsync).RequireScope(Scopes.Admin).WithSummary("Delete a model no segment reads.");
        return app;
    }

    private static async Task<Results<Created<LookalikeResponse>, Ok<LookalikeResponse>, ProblemHttpResult>> PutAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, 16 * 1024, "{id, seed, population, features?}", ct);
        if (problem is not null)
        {
            return problem;
        }

        LookalikeDraft? draft;
        using (document)
        {
            var errors = new List<FieldError>();
            draft = Parse(document!.RootElement, errors);
            if (draft is null)
            {
                return Problems.Invalid("nothing was created", errors);
            }
        }

        var (info, created, error) = await grains.GetGrain<ILookalikeGrain>(store).PutAsync(draft);
        if (info is null)
        {
            return Problems.Invalid("nothing was created", [new FieldError(null, error!.Split(':')[0], error)]);
        }

        var response = LookalikeResponse.From(info);
        return created ? TypedResults.Created($"/v1/stores/{store}/lookalikes/{draft.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<Ok<LookalikeResponse[]>> ListAsync(string store, IGrainFactory grains) =>
        TypedResults.Ok((await grains.GetGrain<ILookalikeGrain>(store).ListAsync()).Select(LookalikeResponse.From).ToArray());

    private static async Task<Results<Ok<LookalikeResponse>, ProblemHttpResult>> GetAsync(string store, string id, IGrainFactory grains) =>
        await grains.GetGrain<ILookalikeGrain>(store).GetAsync(id) is { } info
            ? TypedResults.Ok(LookalikeResponse.From(info))
            : Problems.NotFound($"no lookalike model '{id}'");

    private static async Task<Results<Ok<LookalikeResponse>, ProblemHttpResult>> TrainAsync(string store, string id, IGrainFactory grains) =>
        await grains.GetGrain<ILookalikeGrain>(store).TrainAsync(id) is { } info
            ? TypedResults.Ok(LookalikeResponse.From(info))
            : Problems.NotFound($"no lookalike model '{id}'");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string store, string id, IGrainFactory grains)
    {
        var (found, readBy) = await grains.GetGrain<ILookalikeGrain>(store).DeleteAsync(id);
        return !found ? Problems.NotFound($"no lookalike model '{id}'")
            : !readBy.IsEmpty ? Problems.Conflict($"segments {string.Join(", ", readBy)} read lookalike model '{id}'; change them first")
            : TypedResults.NoContent();
    }

    private static LookalikeDraft? Parse(JsonElement root, List<FieldError> errors)
    {
        string? id = null, seed = null, population = null;
        var features = ImmutableArray<string>.Empty;
        foreach (var field in root.EnumerateObject())
        {
            switch (field.Name)
            {
                case "id":
                    id = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                    break;
                case "seed":
                    seed = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                    break;
                case "population":
                    population = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                    if (population is not null)
                    {
                        try
                        {
                            population = RuleCompiler.Compile(population).Text;
                        }
                        catch (RuleSyntaxException error)
                        {
                            errors.Add(new FieldError(null, "population", error.Message));
                        }
                    }

                    break;
                case "features" when field.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "features" when field.Value.ValueKind == JsonValueKind.Array && field.Value.EnumerateArray().All(f => f.ValueKind == JsonValueKind.String):
                    features = [.. field.Value.EnumerateArray().Select(f => f.GetString()!).Distinct(StringComparer.Ordinal)];
                    break;
                case "features":
                    errors.Add(new FieldError(null, "features", "must be an array of feature names"));
                    break;
                default:
                    errors.Add(new FieldError(null, field.Name, "unknown field"));
                    break;
            }
        }

        if (!Ids.IsSegment(id))
        {
            errors.Add(new FieldError(null, "id", "is required and must match [a-z][a-z0-9_-]{0,63}"));
        }

        if (!Ids.IsSegment(seed))
        {
            errors.Add(new FieldError(null, "seed", "is required: the id of the segment whose members to look like"));
        }

        if (population is null)
        {
            errors.Add(new FieldError(null, "population", "is required: the rule of the customers to score, e.g. \"orders == 0\""));
        }

        return errors.Count == 0 ? new LookalikeDraft(id!, seed!, population!, features) : null;
    }
}
