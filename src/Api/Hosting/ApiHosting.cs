using System.Globalization;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Json;
using CustomerGrains.Api.Tracking;
using CustomerGrains.Grains.Hosting;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Api.Hosting;

public static class ApiHosting
{
    public const int MaxRequestBodyBytes = 2 * 1024 * 1024;

    /// <summary>
    /// Embedded (default): this process hosts the silo, on SQLite under <c>DataPath</c>.
    /// Client: this process joins the PostgreSQL cluster that <c>src/Silo</c> processes form.
    /// </summary>
    public static WebApplicationBuilder AddCustomerGrainsHost(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostSettings();
        var options = builder.Configuration.ReadHostSettings();
        builder.Services.TryAddTimeProvider();
        if (options.Mode == HostingMode.Embedded)
        {
            Directory.CreateDirectory(Path.GetFullPath(options.DataPath));
            var connectionString = options.SqliteConnectionString;
            builder.Services.AddSchemaMigration(DatabaseKind.Sqlite, connectionString);
            builder.UseOrleans(silo => silo.UseEmbeddedSqlite(connectionString, options.SiloPort, options.GatewayPort).AddCustomerGrains());
        }
        else
        {
            var connectionString = options.PostgreSql
                ?? throw new InvalidOperationException("CustomerGrains:PostgreSql (env CustomerGrains__PostgreSql) is required in Client mode");
            builder.UseOrleansClient(client => client
                .UsePostgreSqlCluster(connectionString, options.ClusterId, options.ServiceId)
                .UseConnectionRetryFilter(RetryForeverAsync));
        }

        return builder;
    }

    public static WebApplicationBuilder AddCustomerGrainsApi(this WebApplicationBuilder builder)
    {
        // The path of a request names customers: ASP.NET Core's request lines stay below Information (RequestLog logs templates).
        builder.Logging.AddFilter(RequestLog.HostingCategory, level => level >= LogLevel.Warning);
        builder.Services.AddSettings<ApiKeyOptions>(ApiKeyOptions.Section)
            .Validate(o => o.ApiKeyCache >= TimeSpan.Zero, $"{ApiKeyOptions.Section}:ApiKeyCache must not be negative");
        builder.Services.AddSingleton<ApiKeyRegistry>();
        builder.Services.AddSettings<RateLimitOptions>(RateLimitOptions.Section)
            .Validate(o => o.PermitsPerSecond >= 0, $"{RateLimitOptions.Section}:PermitsPerSecond must be 0 (off) or more")
            .Validate(o => o.Burst >= 1, $"{RateLimitOptions.Section}:Burst must be at least 1");
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddSettings<TrackingOptions>(TrackingOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<TrackingOptions>, TrackingOptionsValidator>();
        builder.Services.AddSingleton<TrackingOrigins>();
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) => PerKey(o, limits.Value));

        // The largest body a route takes is 1 MiB of events (gzip is checked after decompression); nothing bigger is read.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new UtcTimestampConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        return builder;
    }

    public static WebApplication UseCustomerGrainsApi(this WebApplication app)
    {
        // Fail at start-up on a bad key configuration rather than on the first request.
        _ = app.Services.GetRequiredService<ApiKeyRegistry>();
        // The middleware's own log line holds the exception message, which can name a customer's grain: ours does not.
        app.UseMiddleware<RequestLog>();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleExceptionAsync, SuppressDiagnosticsCallback = _ => true });
        app.UseStatusCodePages();
        app.UseMiddleware<TrackingCors>();
        app.Use(BasicChallenge.ApplyAsync);
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>A token bucket per key (the key check runs first); requests without a caller are not limited here.</summary>
    private static void PerKey(RateLimiterOptions options, RateLimitOptions limits)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            limits.PermitsPerSecond == 0 || context.Items[ApiCaller.Item] is not ApiCaller caller
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter(caller.Partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        options.OnRejected = async (rejected, ct) =>
        {
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Problems.TooManyRequests().ExecuteAsync(rejected.HttpContext);
        };
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private static async Task<bool> RetryForeverAsync(Exception error, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        return !ct.IsCancellationRequested;
    }

    /// <summary>
    /// A database failure, met here or by a grain on a silo. Orleans cannot rebuild Npgsql's exception types on
    /// the receiving side, so one that crossed a silo boundary arrives as a fallback carrying the type's name.
    /// </summary>
    private static bool IsDatabaseFailure(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException
                || (e is Orleans.Serialization.UnavailableExceptionFallbackException fallback && fallback.ExceptionType?.StartsWith("Npgsql.", StringComparison.Ordinal) == true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Cluster trouble is the server's (503, retry); a client's bad request never gets here as a 500.</summary>
    private static async Task HandleExceptionAsync(HttpContext context)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        var error = feature?.Error;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var (status, title, detail) = error switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or SiloDeclaredDeadException or Orleans.Storage.InconsistentStateException
                => (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "the cluster is busy or restarting; retry shortly"),
            _ when IsDatabaseFailure(error)
                => (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "the database is unavailable; nothing of this request was acknowledged, retry shortly"),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "the server failed; nothing you sent was wrong"),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        if (error is not null && status >= StatusCodes.Status500InternalServerError)
        {
            // The route's template, never the path: paths carry customer ids.
            var route = (feature!.Endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CustomerGrains.Api.Errors");
            logger.Log(
                status == StatusCodes.Status503ServiceUnavailable ? LogLevel.Warning : LogLevel.Error,
                "{Method} {Route} answered {Status}: {Error}",
                context.Request.Method,
                route,
                status,
                ErrorSummary.Of(error));
            logger.LogDebug(error, "{Method} {Route} answered {Status}", context.Request.Method, route, status);
        }

        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
