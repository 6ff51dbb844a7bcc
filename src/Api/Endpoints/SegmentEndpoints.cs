using System.Text.Json;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

public static class SegmentEndpoints
{
    private const int DefaultPageSize = 100;

    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder app)
    {
        var segments = app.MapGroup("/v1/stores/{store}/segments").WithTags("Segments");
        segments.MapGet("", ListAsync).RequireScope(Scopes.Read);
        segments.MapPost("", CreateAsync).RequireScope(Scopes.Admin)
            .WithSummary("Create a segment {id, name, description, rule}; existing customers are backfilled.");
        segments.MapPost("/preview", PreviewAsync).RequireScope(Scopes.Read)
            .WithSummary("Count and sample for a draft rule {rule, sample?} over the store's customers; nothing is saved.");
        segments.MapGet("/{segment}", GetAsync).RequireScope(Scopes.Read);
        segments.MapPut("/{segment}", UpdateAsync).RequireScope(Scopes.Admin)
            .WithSummary("Replace a segment's definition: a new version, backfilled.");
        segments.MapDelete("/{segment}", DeleteAsync).RequireScope(Scopes.Admin);
        segments.MapGet("/{segment}/count", CountAsync).RequireScope(Scopes.Read)
            .WithSummary("Exact member count.");
        segments.MapGet("/{segment}/members", MembersAsync).RequireScope(Scopes.Read)
            .WithSummary($"Members ordered by customer id; limit ≤ {SegmentLimits.MaxPageSize}; pass nextCursor back as cursor.");
        segments.MapGet("/{segment}/members/{customer}", MemberAsync).RequireScope(Scopes.Read)
            .WithSummary("200 with enteredAt and cause when the customer is a member, else 404.");
        segments.MapGet("/{segment}/members/{customer}/explain", ExplainAsync).RequireScope(Scopes.Read)
            .WithSummary("Why the customer is or is not a member now: the rule's tree with each clause's value and result, and the clauses that fail.");
        return app;
    }

    private static async Task<Ok<SegmentListResponse>> ListAsync(string store, IGrainFactory grains)
    {
        var all = await grains.GetGrain<ISegmentCatalogGrain>(store).ListAsync();
        return TypedResults.Ok(new SegmentListResponse([.. all.Select(SegmentResponse.From)]));
    }

    private static async Task<Results<Created<SegmentResponse>, ProblemHttpResult>> CreateAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (draft, problem) = await ReadDraftAsync(request, routeId: null, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await grains.GetGrain<ISegmentCatalogGrain>(store).CreateAsync(draft!);
        return result.Outcome == CatalogOutcome.Ok
            ? TypedResults.Created($"/v1/stores/{store}/segments/{draft!.Id}", SegmentResponse.From(result.Segment!))
            : Failure(result);
    }

    private static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> PreviewAsync(
        string store, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, SegmentDrafts.MaxBytes, "{rule, sample}", ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;

            var errors = new List<FieldError>();
            var rule = SegmentDrafts.Rule(root, errors);
            var sample = 10;
            if (root.TryGetProperty("sample", out var s) && (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out sample) || sample is < 0 or > 100))
            {
                errors.Add(new FieldError(null, "sample", "must be a whole number from 0 to 100"));
            }

            if (errors.Count > 0)
            {
                return Problems.Invalid("nothing was previewed", errors);
            }

            var preview = await grains.GetGrain<IPreviewGrain>(store).PreviewAsync(rule!, sample);
            return TypedResults.Ok(new PreviewResponse(rule!, preview.Count, preview.Evaluated, preview.Sample, preview.AsOf));
        }
    }

    private static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> GetAsync(string store, string segment, IGrainFactory grains)
    {
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        var info = await grains.GetGrain<ISegmentCatalogGrain>(store).GetAsync(segment);
        return info is null ? UnknownSegment(segment) : TypedResults.Ok(SegmentResponse.From(info));
    }

    private static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> UpdateAsync(
        string store, string segment, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        var (draft, problem) = await ReadDraftAsync(request, segment, ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await grains.GetGrain<ISegmentCatalogGrain>(store).UpdateAsync(draft!);
        return result.Outcome == CatalogOutcome.Ok ? TypedResults.Ok(SegmentResponse.From(result.Segment!)) : Failure(result);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string store, string segment, IGrainFactory grains)
    {
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        var outcome = await grains.GetGrain<ISegmentCatalogGrain>(store).DeleteAsync(segment);
        return outcome switch
        {
            CatalogOutcome.Ok => TypedResults.NoContent(),
            CatalogOutcome.InUse => Problems.Conflict($"other segments refer to '{segment}' (as parent or with in_segment); change them first"),
            _ => UnknownSegment(segment),
        };
    }

    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> CountAsync(string store, string segment, IGrainFactory grains)
    {
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        var count = await grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(store, segment)).CountAsync();
        return count is null ? UnknownSegment(segment) : TypedResults.Ok(new CountResponse(count.Count, count.AsOf));
    }

    private static async Task<Results<Ok<MembersResponse>, ProblemHttpResult>> MembersAsync(
        string store, string segment, int? limit, string? cursor, IGrainFactory grains)
    {
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > SegmentLimits.MaxPageSize)
        {
            return Problems.BadRequest($"limit must be between 1 and {SegmentLimits.MaxPageSize}");
        }

        string? after = null;
        if (cursor is not null && !TryDecodeCursor(cursor, out after))
        {
            return Problems.BadRequest("cursor is not one this Api returned");
        }

        var page = await grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(store, segment)).MembersAsync(after, size);
        if (page is null)
        {
            return UnknownSegment(segment);
        }

        return TypedResults.Ok(new MembersResponse(
            [.. page.Items.Select(m => new MemberResponse(m.CustomerId, m.EnteredAt, m.Cause))],
            page.After is null ? null : EncodeCursor(page.After)));
    }

    private static async Task<Results<Ok<MemberResponse>, ProblemHttpResult>> MemberAsync(
        string store, string segment, string customer, HttpContext context, IGrainFactory grains)
    {
        customer = RouteIds.Customer(context, customer);
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        if (!Ids.IsExternal(customer))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var lookup = await grains.GetGrain<ISegmentGrain>(GrainKeys.Segment(store, segment)).MemberAsync(customer);
        if (!lookup.SegmentExists)
        {
            return UnknownSegment(segment);
        }

        return lookup.Member is { } m
            ? TypedResults.Ok(new MemberResponse(m.CustomerId, m.EnteredAt, m.Cause))
            : Problems.NotFound($"customer '{customer}' is not a member of segment '{segment}'");
    }

    private static async Task<Results<Ok<ExplanationResponse>, ProblemHttpResult>> ExplainAsync(
        string store, string segment, string customer, HttpContext context, IGrainFactory grains)
    {
        customer = RouteIds.Customer(context, customer, fromEnd: 1);
        if (!Ids.IsSegment(segment))
        {
            return UnknownSegment(segment);
        }

        if (!Ids.IsExternal(customer))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var lookup = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, customer)).ExplainAsync(segment);
        if (!lookup.SegmentExists)
        {
            return UnknownSegment(segment);
        }

        return lookup.Explanation is { } explanation
            ? TypedResults.Ok(ExplanationResponse.From(explanation))
            : Problems.NotFound($"no customer '{customer}' in this store");
    }

    /// <summary>Reads {id, name, description, parent, rule}; the rule may be text or the JSON tree form.</summary>
    private static async Task<(SegmentDraft? Draft, ProblemHttpResult? Problem)> ReadDraftAsync(HttpRequest request, string? routeId, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadObjectAsync(request, SegmentDrafts.MaxBytes, "{id, name, description, rule}", ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        using (document)
        {
            var errors = new List<FieldError>();
            var draft = SegmentDrafts.Parse(document!.RootElement, routeId, errors);
            return draft is null ? (null, Problems.Invalid("the segment was not saved", errors)) : (draft, null);
        }
    }

    private static ProblemHttpResult Failure(CatalogResult result) => result.Outcome switch
    {
        CatalogOutcome.NotFound => Problems.NotFound(result.Error!),
        CatalogOutcome.AlreadyExists => Problems.Conflict(result.Error!),
        CatalogOutcome.LimitReached => Problems.Conflict(result.Error!),
        CatalogOutcome.InUse => Problems.Conflict(result.Error!),
        _ => Problems.BadRequest(result.Error!),
    };

    private static ProblemHttpResult UnknownSegment(string segment) => Problems.NotFound($"no segment '{segment}' in this store");

    private static string EncodeCursor(string after) => Cursors.Encode(after);

    private static bool TryDecodeCursor(string cursor, out string? after) => Cursors.TryDecode(cursor, out after) && Ids.IsExternal(after);
}
