using System.Net;
using CustomerGrains.Grains.Hosting;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

// A cluster member: PostgreSQL membership, grain state and reminders. The Api joins in Client mode.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The listen address as ASP.NET Core reads it (--urls, ASPNETCORE_URLS, URLS or Urls); this default only when none is given.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls(CustomerGrainsOptions.DefaultSiloUrls);
}

builder.Services.AddHostSettings();
var options = builder.Configuration.ReadHostSettings();
var connectionString = options.PostgreSql
    ?? throw new InvalidOperationException("CustomerGrains:PostgreSql (env CustomerGrains__PostgreSql) is required");

// SIGTERM stops the host; the silo leaves the cluster gracefully within this bound (stated, not left to a default).
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = SiloHosting.ShutdownTimeout);
builder.Services.AddSchemaMigration(DatabaseKind.PostgreSql, connectionString);
// /metrics beside /health (README "Operating it"): no key, since a silo has none to check; its port stays off public networks.
builder.Services.AddEngineMetrics();
var metrics = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
if (metrics.Enabled)
{
    builder.Services.AddOpenTelemetry().WithMetrics(m => m
        .AddMeter(EngineMetrics.MeterName)
        .AddAspNetCoreInstrumentation()
        .AddRuntimeInstrumentation()
        .AddPrometheusExporter());
}

var dashboard = builder.Services.AddDashboardSettings(builder.Configuration);
builder.UseOrleans(silo =>
{
    silo.UsePostgreSqlCluster(connectionString, options.ClusterId, options.ServiceId)
        .ConfigureEndpoints(IPAddress.Parse(options.AdvertisedIp), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.AdvertisedIp != "127.0.0.1")
        .AddCustomerGrains();
    if (options.SiloName is { Length: > 0 } name)
    {
        silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = name);
    }

    // The silo collects for the dashboard the client-mode Api serves (with the same setting); it serves no pages itself.
    if (dashboard.Enabled)
    {
        silo.AddDashboard(o => o.HideTrace = true);
    }
});

var app = builder.Build();
app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
{
    app.MapPrometheusScrapingEndpoint();
}

app.Run();
