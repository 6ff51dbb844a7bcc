using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", () => TypedResults.Ok(new { status = "live" }))
            .WithSummary("The process is up.");
        health.MapGet("/ready", ReadyAsync)
            .WithSummary("The silo cluster answers: 200, or 503 while it does not.");
        return app;
    }

    private static async Task<Results<Ok<ReadyResponse>, ProblemHttpResult>> ReadyAsync(IGrainFactory grains, CancellationToken ct)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), ct);
            return TypedResults.Ok(new ReadyResponse("ready", hosts.Count));
        }
        catch (Exception error) when (error is TimeoutException or OrleansException or SiloUnavailableException or InvalidOperationException)
        {
            return Problems.Unavailable("the silo cluster is not answering");
        }
    }

    private sealed record ReadyResponse(string Status, int Silos);
}
