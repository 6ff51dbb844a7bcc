using System.Globalization;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

/// <summary>A store's best and worst customers by revenue, orders, predicted value, P(alive) or a lookalike score.</summary>
public static class RankingEndpoints
{
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapRankingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/stores/{store}/rankings", RankAsync).WithTags("Rankings").RequireScope(Scopes.Read)
            .WithSummary("?by=revenue|orders|clv|p_alive|expected_orders_90d|lookalike:<id>&order=desc|asc&segment=&limit=&cursor= — exact top/bottom customers, ties by id.");
        return app;
    }

    private static async Task<Results<Ok<RankingResponse>, ProblemHttpResult>> RankAsync(
        string store, string? by, string? order, string? segment, string? limit, string? cursor, IGrainFactory grains)
    {
        var errors = new List<FieldError>();
        by ??= "revenue";
        if (!RankingQuery.Measures.Contains(by) && !(by.StartsWith(RankingQuery.LookalikePrefix, StringComparison.Ordinal) && Ids.IsSegment(by[RankingQuery.LookalikePrefix.Length..])))
        {
            errors.Add(new FieldError(null, "by", "must be revenue, orders, clv, p_alive, expected_orders_90d or lookalike:<id>"));
        }

        order ??= "desc";
        if (order is not ("desc" or "asc"))
        {
            errors.Add(new FieldError(null, "order", "must be desc or asc"));
        }

        if (segment is not null && !Ids.IsSegment(segment))
        {
            errors.Add(new FieldError(null, "segment", "must be a segment id"));
        }

        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            errors.Add(new FieldError(null, "limit", $"must be a whole number between 1 and {MaxLimit}"));
        }

        double? afterValue = null;
        string? afterId = null;
        if (cursor is not null)
        {
            if (Cursors.TryDecode(cursor, out var text) && text!.Split('|', 2) is [var value, var id]
                && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Ids.IsExternal(id))
            {
                (afterValue, afterId) = (number, id);
            }
            else
            {
                errors.Add(new FieldError(null, "cursor", "is not one this Api returned"));
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid("no ranking", errors);
        }

        var page = await grains.GetGrain<IRankingGrain>(store).RankAsync(new RankingQuery(by, order == "desc", segment, size, afterValue, afterId));
        if (page.Error is { } error)
        {
            return error.StartsWith("no segment", StringComparison.Ordinal) ? Problems.NotFound(error) : Problems.Invalid("no ranking", [new FieldError(null, "by", error)]);
        }

        var next = page.More && page.Items.Length > 0
            ? Cursors.Encode(string.Create(CultureInfo.InvariantCulture, $"{page.Items[^1].Value:R}|{page.Items[^1].CustomerId}"))
            : null;
        return TypedResults.Ok(new RankingResponse(
            by, order, segment, [.. page.Items.Select(i => new RankedCustomerResponse(i.CustomerId, i.Value))], next));
    }
}
