using System.Diagnostics;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Hosting;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Responses;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using CustomerGrains.Grains.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/stores/{store}").WithTags("Events")
            .MapPost("/events", PostEventsAsync)
            .RequireScope(Scopes.Ingest)
            .WithSummary($"Record up to {EventParser.MaxEvents} events (≤ 1 MiB); answers once they are durable.");
        return app;
    }

    private static async Task<Results<Ok<EventsAccepted>, ProblemHttpResult>> PostEventsAsync(
        string store, HttpRequest request, IGrainFactory grains, TimeProvider time, EngineMetrics metrics, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (document, problem) = await JsonBody.ReadAsync(request, EventParser.MaxBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            // A request refused whole counts each of its events as rejected (a body that is no array of events counts none).
            var sent = root.ValueKind == System.Text.Json.JsonValueKind.Array ? root.GetArrayLength() : 0;
            if (sent > EventParser.MaxEvents)
            {
                metrics.Events(store, 0, 0, sent);
                return Problems.TooLarge($"at most {EventParser.MaxEvents} events per request");
            }

            var (events, errors) = EventParser.ParseBatch(root, time.GetUtcNow());
            if (errors.Count > 0)
            {
                metrics.Events(store, 0, 0, sent);
                return Problems.Invalid("the request was rejected whole; nothing of it was applied", errors);
            }

            if (events.IsEmpty)
            {
                return TypedResults.Ok(new EventsAccepted(0, 0));
            }

            var result = await TransientRetry.RunAsync(() => grains.GetGrain<IEventIngestGrain>(0).RecordAsync(store, events), ct);
            metrics.Acknowledged(store, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return TypedResults.Ok(new EventsAccepted(result.Accepted, result.Duplicates, result.SuppressedIds.IsEmpty ? null : result.SuppressedIds));
        }
    }
}
