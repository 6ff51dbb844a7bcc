using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Hosting;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// The Segment HTTP Tracking API, so stores can point existing Segment SDKs at us: the write key is
/// the basic-auth user name (or a bearer key) and names the store; gzip bodies are accepted.
/// </summary>
public static class TrackingEndpoints
{
    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var tracking = app.MapGroup("/v1").WithTags("Segment tracking API");
        tracking.MapPost("/batch", BatchAsync).RequireScope(Scopes.Ingest)
            .WithSummary("Segment batch: {batch: [identify|track|page|screen|group|alias messages]} (≤ 500 KB).");
        foreach (var type in new[] { "identify", "track", "page", "screen", "group", "alias" })
        {
            tracking.MapPost($"/{type}", (HttpContext context, IGrainFactory grains, TimeProvider time, CancellationToken ct) =>
                    SingleAsync(type, context, grains, time, ct))
                .RequireScope(Scopes.Ingest)
                .WithSummary($"One Segment {type} call (≤ 32 KB).");
        }

        return app;
    }

    private static async Task<Results<Ok<TrackingAccepted>, ProblemHttpResult>> BatchAsync(
        HttpContext context, IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadAsync(context.Request, SegmentMessages.MaxBatchBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            if (document!.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("batch", out var batch)
                || batch.ValueKind != JsonValueKind.Array)
            {
                return Problems.BadRequest("the body must be {\"batch\": [messages]}");
            }

            if (batch.GetArrayLength() > SegmentMessages.MaxBatchMessages)
            {
                return Problems.TooLarge($"at most {SegmentMessages.MaxBatchMessages} messages per batch");
            }

            return await RecordAsync([.. batch.EnumerateArray()], type: null, context, grains, time);
        }
    }

    private static async Task<Results<Ok<TrackingAccepted>, ProblemHttpResult>> SingleAsync(
        string type, HttpContext context, IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadAsync(context.Request, SegmentMessages.MaxSingleBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            return await RecordAsync([document!.RootElement], type, context, grains, time);
        }
    }

    private static async Task<Results<Ok<TrackingAccepted>, ProblemHttpResult>> RecordAsync(
        IReadOnlyList<JsonElement> messages, string? type, HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        var (parsed, errors) = SegmentMessages.Map(messages, type, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return Problems.Invalid("the request was rejected whole; nothing of it was applied", errors);
        }

        var store = ApiCaller.Of(context).Store;
        var result = parsed.IsEmpty
            ? default
            : await TransientRetry.RunAsync(() => grains.GetGrain<IEventIngestGrain>(0).RecordAsync(store, parsed), context.RequestAborted);
        return TypedResults.Ok(new TrackingAccepted(true, result.Accepted, result.Duplicates));
    }
}
