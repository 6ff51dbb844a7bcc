using System.Globalization;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Effectiveness;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// Whether segments work: a segment's stats (size over time, entries, exits, members' purchases, conversion of treated
/// members against the holdout) and the flows between segments, replayed from the change feed.
/// </summary>
public static class EffectivenessEndpoints
{
    public static IEndpointRouteBuilder MapEffectivenessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/stores/{store}/segments/{segment}/stats", StatsAsync).WithTags("Segments").RequireScope(Scopes.Read)
            .WithSummary("?from=&to=&interval=minute|hour|day&window=<days> — size, entries, exits, members' orders and revenue (and purchase days, by day) per interval; conversion of treated members and the holdout, with the lift.");
        app.MapGet("/v1/stores/{store}/flows", FlowsAsync).WithTags("Segments").RequireScope(Scopes.Read)
            .WithSummary("?segments=a,b,c&from=&to= — how many customers moved from each listed segment to each other one.");
        return app;
    }

    private static async Task<Results<Ok<SegmentStatsResponse>, ProblemHttpResult>> StatsAsync(
        string store, string segment, string? from, string? to, string? interval, string? window, IGrainFactory grains)
    {
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        var errors = new List<FieldError>();
        var (start, end) = (Instant(from, "from", errors), Instant(to, "to", errors));
        StatsInterval? unit = interval switch
        {
            null or "day" => StatsInterval.Day,
            "hour" => StatsInterval.Hour,
            "minute" => StatsInterval.Minute,
            _ => null,
        };
        if (unit is null)
        {
            errors.Add(new FieldError(null, "interval", "must be minute, hour or day"));
        }

        var days = StatsQuery.DefaultWindowDays;
        if (window is not null && (!int.TryParse(window, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > StatsQuery.MaxWindowDays))
        {
            errors.Add(new FieldError(null, "window", $"must be a whole number of days from 1 to {StatsQuery.MaxWindowDays}"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid("no stats", errors);
        }

        var result = await grains.GetGrain<IEffectivenessGrain>(store).StatsAsync(new StatsQuery(segment, start, end, unit!.Value, days));
        if (result.Stats is not { } stats)
        {
            return Refused(result.NotFound, result.Problem, "no stats");
        }

        var c = stats.Conversion;
        return TypedResults.Ok(new SegmentStatsResponse(
            stats.Segment, stats.Version, stats.Holdout, stats.Range.From, stats.Range.To, StatsRange.Name(stats.Range.Interval), stats.AsOf,
            [.. stats.Intervals.Select(i => new StatsIntervalResponse(i.Start, i.End, i.Size, i.Entered, i.Exited, i.Orders, i.PurchaseDays, i.Revenue))],
            new ConversionResponse(c.WindowDays, Group(c.Treated), Group(c.Control), Estimate(c.Difference), Estimate(c.Lift))));
    }

    private static async Task<Results<Ok<FlowsResponse>, ProblemHttpResult>> FlowsAsync(
        string store, string? segments, string? from, string? to, IGrainFactory grains)
    {
        var errors = new List<FieldError>();
        var listed = (segments ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (segments is null || listed.Length is < 2 or > FlowsQuery.MaxSegments || listed.Any(s => !Ids.IsSegment(s))
            || listed.Distinct(StringComparer.Ordinal).Count() != listed.Length)
        {
            errors.Add(new FieldError(null, "segments", $"must list 2 to {FlowsQuery.MaxSegments} different segment ids, separated by commas"));
        }

        var (start, end) = (Instant(from, "from", errors), Instant(to, "to", errors));
        if (errors.Count > 0)
        {
            return Problems.Invalid("no flows", errors);
        }

        var result = await grains.GetGrain<IEffectivenessGrain>(store).FlowsAsync(new FlowsQuery([.. listed], start, end));
        if (result.Flows is not { } flows)
        {
            return Refused(result.NotFound, result.Problem, "no flows");
        }

        return TypedResults.Ok(new FlowsResponse(
            flows.Range.From, flows.Range.To, flows.AsOf, flows.Segments, [.. flows.Flows.Select(f => new FlowResponse(f.From, f.To, f.Customers))]));
    }

    /// <summary>An ISO 8601 instant (with an offset, or UTC), or null when absent; a reason in <paramref name="errors"/> when it is not one.</summary>
    private static DateTimeOffset? Instant(string? text, string field, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.Year is >= 1990 and <= 9998)
        {
            return at.ToUniversalTime();
        }

        errors.Add(new FieldError(null, field, "must be an ISO 8601 date or time, e.g. 2026-11-23 or 2026-11-23T10:00:00Z"));
        return null;
    }

    private static ProblemHttpResult Refused(string? notFound, QueryProblem? problem, string detail) =>
        notFound is not null
            ? Problems.NotFound(notFound)
            : Problems.Invalid(detail, [new FieldError(null, problem!.Field, problem.Reason)]);

    private static ConversionGroupResponse Group(ConversionGroup g) => new(g.Entered, g.Converted, g.WindowOpen, g.Rate, g.Low, g.High);

    private static EstimateResponse? Estimate(Estimate? e) => e is null ? null : new EstimateResponse(e.Value, e.Low, e.High);

    private static ProblemHttpResult UnknownSegment(string segment) => Problems.NotFound($"no segment '{segment}' in this store");
}
