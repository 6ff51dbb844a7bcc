using System.Diagnostics;
using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Hosting;
using CustomerGrains.Api.Tracking;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using CustomerGrains.Grains.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// The Segment HTTP Tracking API, so stores can point the tracking libraries they run at us: Segment's and RudderStack's
/// server SDKs (<c>/v1/batch</c>, <c>/v1/{type}</c>) and browser libraries (Segment's analytics.js: <c>/v1/t</c>,
/// <c>/v1/i</c>, … and <c>/v1/b</c>; RudderStack's: <c>/v1/{type}</c>, <c>/v1/batch</c> and the beacon's
/// <c>/beacon/v1/batch</c>). The write key is the basic-auth user name (or a bearer key), else the body's
/// <c>writeKey</c> (ingest only), and names the store; bodies are JSON whatever their label, gzip or not
/// (<see cref="TrackingBody"/>); pages of the origins the store allows may call them (<see cref="TrackingCors"/>).
/// </summary>
public static class TrackingEndpoints
{
    /// <summary>Each message type, by its route's name and by the one-letter path Segment's analytics.js posts it to.</summary>
    private static readonly (string Type, string Short)[] Types =
        [("identify", "i"), ("track", "t"), ("page", "p"), ("screen", "s"), ("group", "g"), ("alias", "a")];

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var tracking = app.MapGroup("").WithTags("Segment tracking API");
        tracking.AddEndpointFilter(TrackingCors.RefuseOtherOriginsAsync);
        AsTrackingRoute(tracking.MapPost("/v1/batch", BatchAsync), new TrackingRoute(SegmentMessages.MaxBatchBytes))
            .WithSummary("Segment batch: {batch: [identify|track|page|screen|group|alias messages], sentAt} (≤ 500 KB).");
        AsTrackingRoute(tracking.MapPost("/v1/b", BatchAsync), new TrackingRoute(SegmentMessages.MaxBatchBytes))
            .WithSummary("A batch from Segment's analytics.js (batching delivery), as /v1/batch.");
        AsTrackingRoute(tracking.MapPost("/beacon/v1/batch", BatchAsync), new TrackingRoute(SegmentMessages.MaxBatchBytes, KeyInQuery: true))
            .WithSummary("A batch from RudderStack's JavaScript SDK's beacon transport, with ?writeKey=, as /v1/batch.");
        foreach (var (type, letter) in Types)
        {
            foreach (var path in new[] { $"/v1/{type}", $"/v1/{letter}" })
            {
                AsTrackingRoute(tracking.MapPost(path, (HttpContext context, IGrainFactory grains, TimeProvider time, EngineMetrics metrics) => SingleAsync(type, context, grains, time, metrics)), new TrackingRoute(SegmentMessages.MaxSingleBytes))
                    .WithSummary($"One Segment {type} call (≤ 32 KB).");
            }
        }

        return app;
    }

    /// <summary>Ingest only; the route's body limit and key sources; and a CORS preflight is routed here too.</summary>
    private static RouteHandlerBuilder AsTrackingRoute(RouteHandlerBuilder builder, TrackingRoute route) =>
        builder.RequireScope(Scopes.Ingest).WithMetadata(route, new HttpMethodMetadata([HttpMethods.Post], acceptCorsPreflight: true));

    private static async Task<Results<Ok<TrackingAccepted>, ProblemHttpResult>> BatchAsync(HttpContext context, IGrainFactory grains, TimeProvider time, EngineMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var (document, problem) = await TrackingBody.ReadAsync(context, RouteOf(context));
        if (problem is not null)
        {
            return problem;
        }

        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
        {
            return Problems.BadRequest("the body must be {\"batch\": [messages]}");
        }

        if (batch.GetArrayLength() > SegmentMessages.MaxBatchMessages)
        {
            metrics.Events(ApiCaller.Of(context).Store, 0, 0, batch.GetArrayLength());
            return Problems.TooLarge($"at most {SegmentMessages.MaxBatchMessages} messages per batch");
        }

        return await RecordAsync([.. batch.EnumerateArray()], type: null, SegmentMessages.SentAt(root), context, grains, time, metrics, started);
    }

    private static async Task<Results<Ok<TrackingAccepted>, ProblemHttpResult>> SingleAsync(
        string type, HttpContext context, IGrainFactory grains, TimeProvider time, EngineMetrics metrics)
    {
        var started = Stopwatch.GetTimestamp();
        var (document, problem) = await TrackingBody.ReadAsync(context, RouteOf(context));
        if (problem is not null)
        {
            return problem;
        }

        return await RecordAsync([document!.RootElement], type, sentAt: null, context, grains, time, metrics, started);
    }

    private static TrackingRoute RouteOf(HttpContext context) => context.GetEndpoint()!.Metadata.GetRequiredMetadata<TrackingRoute>();

    private static async Task<Results<Ok<TrackingAccepted>, ProblemHttpResult>> RecordAsync(
        IReadOnlyList<JsonElement> messages, string? type, DateTimeOffset? sentAt, HttpContext context, IGrainFactory grains, TimeProvider time,
        EngineMetrics metrics, long started)
    {
        // Counted as the events route counts: a request refused whole rejects each of its messages; the ingest grain
        // counts what it accepted and the duplicates.
        var store = ApiCaller.Of(context).Store;
        var (parsed, errors) = SegmentMessages.Map(messages, type, time.GetUtcNow(), sentAt);
        if (errors.Count > 0)
        {
            metrics.Events(store, 0, 0, messages.Count);
            return Problems.Invalid("the request was rejected whole; nothing of it was applied", errors);
        }

        var result = parsed.IsEmpty
            ? default
            : await TransientRetry.RunAsync(() => grains.GetGrain<IEventIngestGrain>(0).RecordAsync(store, parsed), context.RequestAborted);
        metrics.Acknowledged(store, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return TypedResults.Ok(new TrackingAccepted(true, result.Accepted, result.Duplicates));
    }
}
