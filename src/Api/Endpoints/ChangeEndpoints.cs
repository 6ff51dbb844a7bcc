using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// A store's change feed: every durable membership change, in the order it became durable, as pages (long-polled with
/// <c>wait</c>) or as Server-Sent Events (resumable with <c>Last-Event-ID</c>).
/// </summary>
public static class ChangeEndpoints
{
    public const int MaxLimit = 1000;

    private const string LastEventId = "Last-Event-ID";

    /// <summary>The longest a read waits for a change: below the grain call's timeout, so a wait never ends in an error.</summary>
    public const int MaxWaitSeconds = 20;

    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/stores/{store}/changes", ReadAsync).WithTags("Changes").RequireScope(Scopes.Read)
            .WithSummary("?segment=&after=<cursor>|latest&limit=&wait=<seconds> — membership changes in commit order; Accept: text/event-stream for a stream.");
        return app;
    }

    private static async Task<IResult> ReadAsync(
        string store, string? segment, string? after, string? limit, string? wait, HttpContext context, IGrainFactory grains)
    {
        var stream = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (stream && context.Request.Headers[LastEventId] is [{ Length: > 0 } lastEventId])
        {
            after = lastEventId;
        }

        var errors = new List<FieldError>();
        if (segment is not null && !Ids.IsSegment(segment))
        {
            errors.Add(new FieldError(null, "segment", "must be a segment id"));
        }

        ChangeCursor? cursor = null;
        var latest = after == "latest";
        if (after is not null && !latest && !ChangeCursor.TryParse(after, out cursor))
        {
            errors.Add(new FieldError(null, stream && context.Request.Headers.ContainsKey(LastEventId) ? "Last-Event-ID" : "after", "is not a cursor this Api returned"));
        }

        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            errors.Add(new FieldError(null, "limit", $"must be a whole number between 1 and {MaxLimit}"));
        }

        var seconds = 0;
        if (wait is not null && (!int.TryParse(wait, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds > MaxWaitSeconds))
        {
            errors.Add(new FieldError(null, "wait", $"must be a whole number of seconds between 0 and {MaxWaitSeconds}"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid("no changes", errors);
        }

        var feed = grains.GetGrain<IChangeFeedGrain>(store);
        var query = new ChangeQuery(cursor, segment, size, TimeSpan.FromSeconds(stream ? MaxWaitSeconds : seconds), latest);
        var page = await feed.ReadAsync(query);
        if (Refused(page) is { } refused)
        {
            return refused;
        }

        return stream
            ? TypedResults.ServerSentEvents(StreamAsync(feed, query, page, context.RequestAborted))
            : TypedResults.Ok(new ChangesResponse([.. page.Items.Select(Response)], page.Next?.Text));
    }

    /// <summary>The first page, then each next one as it comes, until the client goes.</summary>
    private static async IAsyncEnumerable<SseItem<ChangeResponse>> StreamAsync(
        IChangeFeedGrain feed, ChangeQuery query, ChangePage page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var item in page.Items)
            {
                yield return new SseItem<ChangeResponse>(Response(item), "change") { EventId = item.Cursor.Text };
            }

            query = query with { After = page.Next, FromLatest = false };
            page = await feed.ReadAsync(query).WaitAsync(cancellationToken);
            if (page.Expired || page.Error is not null)
            {
                yield break;
            }
        }
    }

    private static IResult? Refused(ChangePage page) =>
        page.Expired
            ? TypedResults.Problem(
                "the cursor is older than the feed's retention and changes after it may be gone: read the segment's members again, then follow the feed from 'latest'",
                statusCode: StatusCodes.Status410Gone, title: "Gone",
                extensions: new Dictionary<string, object?> { ["latest"] = page.Latest?.Text })
            : page.Error is { } error ? Problems.NotFound(error) : null;

    private static ChangeResponse Response(FeedChange change) => new(
        change.Cursor.Text, change.Seq, change.Segment, change.Version, change.CustomerId, change.Entered ? "entered" : "exited", change.At, change.Cause,
        change.Holdout);
}
