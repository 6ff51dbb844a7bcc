using System.Collections.Immutable;
using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// A store's API keys: created (the secret is shown once and only its hash is stored), listed without secrets,
/// revoked. Keys from configuration are not listed here.
/// </summary>
public static class KeyEndpoints
{
    private const int MaxBodyBytes = 4096;
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/stores/{store}/keys").WithTags("Keys").RequireScope(Scopes.Admin);
        keys.MapPost("", CreateAsync)
            .WithSummary("Create a key {name?, scopes: [ingest|read|admin]} → 201 with the key, shown only this once.");
        keys.MapGet("", ListAsync)
            .WithSummary("The store's created keys, without secrets.");
        keys.MapDelete("/{id}", RevokeAsync)
            .WithSummary("Revoke a key: 204, or 404. Other Api processes stop accepting it within CustomerGrains:ApiKeyCache.");
        return app;
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, "{name, scopes}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = JsonBody.UnknownFields(root, "name", "scopes");
            string? name = null;
            if (root.TryGetProperty("name", out var n) && n.ValueKind != JsonValueKind.Null)
            {
                name = n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                if (name is null || name.Length is 0 or > MaxNameLength || !Ids.IsCleanText(name))
                {
                    errors.Add(new FieldError(null, "name", $"must be a string of 1–{MaxNameLength} characters"));
                }
            }

            var scopes = ReadScopes(root, errors);
            if (errors.Count > 0)
            {
                return Problems.Invalid("no key was created", errors);
            }

            var (id, key, visible) = ApiKeyFormat.Generate(store);
            var draft = new ApiKeyDraft(id, name, scopes, ImmutableArray.Create(ApiKeyFormat.Hash(key)), visible);
            var created = await grains.GetGrain<IApiKeyGrain>(store).CreateAsync(draft);
            if (created.Key is not { } info)
            {
                return Problems.Conflict(created.Error!);
            }

            return TypedResults.Created((string?)null, new CreatedApiKeyResponse(info.Id, key, info.Name, info.Scopes, info.CreatedAt, info.Prefix));
        }
    }

    private static async Task<Ok<ApiKeyListResponse>> ListAsync(string store, IGrainFactory grains)
    {
        var keys = await grains.GetGrain<IApiKeyGrain>(store).ListAsync();
        return TypedResults.Ok(new ApiKeyListResponse([.. keys.Select(ApiKeyResponse.From)]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string store, string id, IGrainFactory grains, ApiKeyRegistry registry)
    {
        if (!ApiKeyFormat.IsId(id) || !await grains.GetGrain<IApiKeyGrain>(store).RevokeAsync(id))
        {
            return Problems.NotFound("no key with that id in this store");
        }

        registry.Forget(store, id);
        return TypedResults.NoContent();
    }

    private static ImmutableArray<string> ReadScopes(JsonElement root, List<FieldError> errors)
    {
        const string reason = "is required: a non-empty list of ingest, read, admin";
        if (!root.TryGetProperty("scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array || scopes.GetArrayLength() is 0 or > 3)
        {
            errors.Add(new FieldError(null, "scopes", reason));
            return [];
        }

        var read = scopes.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString() : null).ToList();
        if (read.Any(s => s is null || !Scopes.All.Contains(s)) || read.Distinct(StringComparer.Ordinal).Count() != read.Count)
        {
            errors.Add(new FieldError(null, "scopes", reason + ", each once"));
            return [];
        }

        return [.. read.Select(s => s!).Order(StringComparer.Ordinal)];
    }
}
