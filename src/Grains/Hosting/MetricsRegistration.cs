using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerGrains.Grains.Hosting;

/// <summary>The engine's meter for any host (an embedded Api, a cluster silo, a client-mode Api), and what a silo adds to it.</summary>
public static class MetricsRegistration
{
    /// <summary>Binds and validates <c>CustomerGrains:Metrics</c> and registers <see cref="EngineMetrics"/>, once however often it is called.</summary>
    public static IServiceCollection AddEngineMetrics(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(EngineMetrics)))
        {
            return services;
        }

        services.AddSettings<MetricsOptions>(MetricsOptions.Section)
            .Validate(o => o.MaxStoreLabels is >= 0 and <= 10_000, $"{MetricsOptions.Section}:MaxStoreLabels must be between 0 and 10000");
        services.TryAddSingleton<EngineMetrics>();
        return services;
    }

    /// <summary>Binds and validates <c>CustomerGrains:Dashboard</c>; returns it as configured, for putting the host together.</summary>
    public static DashboardOptions AddDashboardSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DashboardOptions>(DashboardOptions.Section);
        return configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions();
    }

    /// <summary>A silo's instruments that watch grains from outside: active customers.</summary>
    public static IServiceCollection AddSiloMetrics(this IServiceCollection services) =>
        services.AddEngineMetrics().AddSingleton<IConfigureGrainContextProvider>(sp =>
        {
            var metrics = sp.GetRequiredService<EngineMetrics>();
            return new ActivationCounter(typeof(CustomerGrain), metrics.CustomerActivated, metrics.CustomerDeactivated);
        });
}
