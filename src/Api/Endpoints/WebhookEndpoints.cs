using System.Collections.Immutable;
using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// A store's webhooks: created (the signing secret is shown once), listed and read without secrets, deleted; each one's dead
/// letters, their replay, and its delivery log. Deliveries themselves run in the silos (<c>Grains/Webhooks</c>).
/// </summary>
public static class WebhookEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;
    private const int MaxSegments = 50;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/stores/{store}/webhooks").WithTags("Webhooks").RequireScope(Scopes.Admin);
        webhooks.MapPost("", CreateAsync)
            .WithSummary("Create a webhook {id, url, segments?, kinds?, secret?} → 201 with the signing secret, shown only this once.");
        webhooks.MapGet("", ListAsync)
            .WithSummary("The store's webhooks, without secrets.");
        webhooks.MapGet("/{id}", GetAsync)
            .WithSummary("One webhook, without its secret, or 404.");
        webhooks.MapDelete("/{id}", DeleteAsync)
            .WithSummary("Delete a webhook and its delivery state: 204, or 404.");
        webhooks.MapGet("/{id}/failures", FailuresAsync)
            .WithSummary("The webhook's dead letters: batches given up on after the most attempts, oldest first.");
        webhooks.MapPost("/{id}/failures/replay", ReplayAsync)
            .WithSummary("Send every dead letter again (at least once, before newer batches) → 202 {queued}; those delivered leave the list.");
        webhooks.MapGet("/{id}/deliveries", DeliveriesAsync)
            .WithSummary($"The webhook's latest {WebhookDeliveryGrain.LogSize} attempts, newest first: status or error, latency, changes, webhook-id.");
        return app;
    }

    private static async Task<Results<Created<CreatedWebhookResponse>, ProblemHttpResult>> CreateAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, "{id, url, segments, kinds, secret}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = JsonBody.UnknownFields(root, "id", "url", "segments", "kinds", "secret");
            var id = String(root, "id");
            if (!Ids.IsWebhook(id))
            {
                errors.Add(new FieldError(null, "id", "is required: a lowercase letter, then up to 63 lowercase letters, digits, '-' or '_'"));
            }

            var url = String(root, "url");
            if (WebhookDestinations.Parse(url, out _) is { } badUrl)
            {
                errors.Add(new FieldError(null, "url", badUrl));
            }

            var segments = List(root, "segments", MaxSegments, Ids.IsSegment, "segment ids", errors);
            var kinds = List(root, "kinds", 2, k => WebhookKinds.All.Contains(k), "'entered' and 'exited'", errors);
            var secret = WebhookSecret.Generate();
            if (root.TryGetProperty("secret", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (s.ValueKind != JsonValueKind.String || !WebhookSecret.TryParse(s.GetString(), out _))
                {
                    errors.Add(new FieldError(null, "secret", $"must be '{WebhookSecret.Prefix}' and the base64 of {WebhookSecret.MinBytes}–{WebhookSecret.MaxBytes} random bytes"));
                }
                else
                {
                    secret = s.GetString()!;
                }
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid("no webhook was created", errors);
            }

            var created = await grains.GetGrain<IWebhookCatalogGrain>(store).CreateAsync(new WebhookDraft(id!, url!, segments, kinds, secret));
            if (created.Webhook is not { } info)
            {
                return created.Field is { } field
                    ? Problems.Invalid("no webhook was created", [new FieldError(null, field, created.Error!)])
                    : Problems.Conflict(created.Error!);
            }

            return TypedResults.Created(
                $"/v1/stores/{store}/webhooks/{info.Id}",
                new CreatedWebhookResponse(info.Id, info.Url, info.Segments, info.Kinds, info.CreatedAt, secret));
        }
    }

    private static async Task<Ok<WebhookListResponse>> ListAsync(string store, IGrainFactory grains)
    {
        var all = await grains.GetGrain<IWebhookCatalogGrain>(store).ListAsync();
        return TypedResults.Ok(new WebhookListResponse([.. all.Select(WebhookResponse.From)]));
    }

    private static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetAsync(string store, string id, IGrainFactory grains) =>
        Ids.IsWebhook(id) && await grains.GetGrain<IWebhookCatalogGrain>(store).GetAsync(id) is { } info
            ? TypedResults.Ok(WebhookResponse.From(info))
            : Unknown(id);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string store, string id, IGrainFactory grains) =>
        Ids.IsWebhook(id) && await grains.GetGrain<IWebhookCatalogGrain>(store).DeleteAsync(id)
            ? TypedResults.NoContent()
            : Unknown(id);

    private static async Task<Results<Ok<WebhookFailuresResponse>, ProblemHttpResult>> FailuresAsync(string store, string id, IGrainFactory grains) =>
        Ids.IsWebhook(id) && await Deliverer(grains, store, id).FailuresAsync() is { } letters
            ? TypedResults.Ok(new WebhookFailuresResponse([.. letters.Select(WebhookFailureResponse.From)]))
            : Unknown(id);

    private static async Task<Results<Accepted<WebhookReplayResponse>, ProblemHttpResult>> ReplayAsync(string store, string id, IGrainFactory grains) =>
        Ids.IsWebhook(id) && await Deliverer(grains, store, id).ReplayAsync() is { } queued
            ? TypedResults.Accepted($"/v1/stores/{store}/webhooks/{id}/failures", new WebhookReplayResponse(queued))
            : Unknown(id);

    private static async Task<Results<Ok<WebhookDeliveriesResponse>, ProblemHttpResult>> DeliveriesAsync(string store, string id, IGrainFactory grains) =>
        Ids.IsWebhook(id) && await Deliverer(grains, store, id).DeliveriesAsync() is { } attempts
            ? TypedResults.Ok(new WebhookDeliveriesResponse([.. attempts.Select(WebhookDeliveryResponse.From)]))
            : Unknown(id);

    private static IWebhookDeliveryGrain Deliverer(IGrainFactory grains, string store, string id) =>
        grains.GetGrain<IWebhookDeliveryGrain>(WebhookKeys.Deliverer(store, id));

    private static ProblemHttpResult Unknown(string id) => Problems.NotFound($"no webhook '{id}' in this store");

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An optional list of distinct strings that pass <paramref name="valid"/>; absent or null: empty (all).</summary>
    private static ImmutableArray<string> List(JsonElement root, string name, int max, Func<string, bool> valid, string what, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var read = list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString() : null).ToList()
            : null;
        if (read is null || read.Count > max || read.Any(s => s is null || !valid(s)) || read.Distinct(StringComparer.Ordinal).Count() != read.Count)
        {
            errors.Add(new FieldError(null, name, $"must be a list of at most {max} distinct {what} (empty or left out: all)"));
            return [];
        }

        return [.. read.Select(s => s!)];
    }
}
