using CustomerGrains.Api.Auth;
using CustomerGrains.Grains.Hosting;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace CustomerGrains.Api.Hosting;

/// <summary>
/// What an operator reads (README "Operating it"): <c>/metrics</c> in Prometheus text (the engine's meter, ASP.NET Core's and
/// the runtime's, through OpenTelemetry) and the Orleans dashboard, served behind the admin scope when it is turned on.
/// </summary>
public static class Observability
{
    private const string DashboardRealm = "CustomerGrains dashboard";

    public static WebApplicationBuilder AddCustomerGrainsObservability(this WebApplicationBuilder builder)
    {
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

        if (builder.Services.AddDashboardSettings(builder.Configuration).Enabled)
        {
            // The live log stream stays off: logs below Information may name customers.
            if (builder.Configuration.ReadHostSettings().Mode == HostingMode.Embedded)
            {
                builder.UseOrleans(silo => silo.AddDashboard(o => o.HideTrace = true));
            }
            else
            {
                builder.UseOrleansClient(client => client.AddDashboard(o => o.HideTrace = true));
            }
        }

        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (metrics.Enabled)
        {
            // Store names are in the labels: a key with the admin scope when asked for; open by default (loopback).
            var scrape = app.MapPrometheusScrapingEndpoint();
            _ = metrics.RequireKey ? scrape.RequireScope(Scopes.Admin) : scrape.AllowAnonymous();
        }

        if (app.Services.GetRequiredService<IOptions<Grains.Hosting.DashboardOptions>>().Value.Enabled)
        {
            // Not part of the API's description: its routes are the dashboard's own.
            app.MapOrleansDashboard(Grains.Hosting.DashboardOptions.Path)
                .ExcludeFromDescription()
                .RequireScope(Scopes.Admin)
                .WithMetadata(new BasicChallenge(DashboardRealm));
        }

        return app;
    }
}
