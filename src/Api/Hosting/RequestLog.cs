using System.Diagnostics;

namespace CustomerGrains.Api.Hosting;

/// <summary>
/// Request logging without personal data: ASP.NET Core's own request lines (category
/// <c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) carry the path, and paths name customers (<c>…/customers/{id}</c>),
/// so they are kept below Information whatever <c>Microsoft.AspNetCore</c> is set to; this one logs each request with the
/// route's template instead (<c>POST /v1/stores/{store}/customers/{id}/profile → 204 in 3 ms</c>), at Debug under
/// <c>CustomerGrains.Api.Requests</c> (a line per request is not for the default level).
/// </summary>
public sealed class RequestLog(RequestDelegate next, ILoggerFactory loggers)
{
    /// <summary>The category of the template lines.</summary>
    public const string Category = "CustomerGrains.Api.Requests";

    /// <summary>The category of ASP.NET Core's request lines, which hold the path.</summary>
    public const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            // A group's own route ends in '/' ("…/customers/{id}/"): written as clients send it.
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { Length: > 1 } raw ? raw.TrimEnd('/') : "(no route)";
            _logger.LogDebug(
                "{Method} {Route} → {Status} in {Elapsed:0.0} ms",
                context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
