using CustomerGrains.Api.Auth;
using CustomerGrains.Grains.Reconcile;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/stores/{store}").WithTags("Admin")
            .MapPost("/reconcile", ReconcileAsync)
            .RequireScope(Scopes.Admin)
            .WithSummary("Compare every segment's members with a recount from customer state; reports differences, changes nothing.");
        return app;
    }

    private static async Task<Ok<ReconcileResponse>> ReconcileAsync(string store, IGrainFactory grains)
    {
        var report = await grains.GetGrain<IReconcileGrain>(store).ReconcileAsync();
        return TypedResults.Ok(new ReconcileResponse(
            report.Consistent,
            report.Customers,
            [.. report.Segments.Select(s => new ReconcileSegment(s.SegmentId, s.Members, s.Recount, [.. s.Extra.Take(100)], [.. s.Missing.Take(100)]))],
            report.Rankings.IsDefault ? [] : [.. report.Rankings.Take(100)]));
    }

    /// <summary>
    /// Differences list at most 100 customer ids per side; <c>rankings</c>: customers whose row in the purchase index
    /// (what rankings read) differs from their state.
    /// </summary>
    private sealed record ReconcileResponse(bool Consistent, long Customers, IReadOnlyList<ReconcileSegment> Segments, IReadOnlyList<string> Rankings);

    private sealed record ReconcileSegment(string Id, long Members, long Recount, IReadOnlyList<string> Extra, IReadOnlyList<string> Missing);
}
