using System.Net;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Storage;
using CustomerGrains.Grains.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Hosting;

/// <summary>
/// Every options class is bound and checked the same way, here, for the Api (embedded and client) and the
/// cluster silo: bound from its section, validated when the host starts, and a bad value stops the start with
/// a message naming the setting, instead of surfacing later in a grain.
/// </summary>
public static class SettingsRegistration
{
    private const string Root = CustomerGrainsOptions.Section;

    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it at start; add the checks with <c>Validate</c>.</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();

    /// <summary>
    /// The host's own settings, which decide how the process is put together and so are also read before the
    /// host is built (<see cref="ReadHostSettings"/>).
    /// </summary>
    public static IServiceCollection AddHostSettings(this IServiceCollection services)
    {
        services.AddSettings<CustomerGrainsOptions>(Root)
            .Validate(o => Enum.IsDefined(o.Mode), $"{Root}:Mode must be Embedded or Client")
            .Validate(o => o.Mode != HostingMode.Embedded || !string.IsNullOrWhiteSpace(o.DataPath), $"{Root}:DataPath must name a folder in Embedded mode")
            .Validate(o => o.SiloPort is > 0 and <= IPEndPoint.MaxPort, $"{Root}:SiloPort must be a TCP port (1–65535)")
            .Validate(o => o.GatewayPort is > 0 and <= IPEndPoint.MaxPort, $"{Root}:GatewayPort must be a TCP port (1–65535)")
            .Validate(o => IPAddress.TryParse(o.AdvertisedIp, out _), $"{Root}:AdvertisedIp must be an IP address")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ClusterId) && !string.IsNullOrWhiteSpace(o.ServiceId), $"{Root}:ClusterId and {Root}:ServiceId must not be empty");
        return services;
    }

    /// <summary>The host's settings as configured, for putting the host together before it is built.</summary>
    public static CustomerGrainsOptions ReadHostSettings(this IConfiguration configuration) =>
        configuration.GetSection(Root).Get<CustomerGrainsOptions>() ?? new CustomerGrainsOptions();

    /// <summary>The engine's settings, for every process that hosts grains (the embedded Api, cluster silos, test silos).</summary>
    public static IServiceCollection AddEngineSettings(this IServiceCollection services)
    {
        const string behaviour = $"{Root}:{BehaviourOptions.Section}";
        services.AddSettings<BehaviourOptions>(behaviour)
            .Validate(o => o.RetentionDays >= 1, $"{behaviour}:RetentionDays must be at least 1")
            .Validate(o => o.MaxRetainedEvents >= 1, $"{behaviour}:MaxRetainedEvents must be at least 1")
            .Validate(o => o.BucketDays >= 1, $"{behaviour}:BucketDays must be at least 1")
            .Validate(
                o => string.IsNullOrEmpty(o.DefaultPhoneRegion) || Profiles.Phones.HasPlan(o.DefaultPhoneRegion),
                $"{behaviour}:DefaultPhoneRegion must be an upper-case ISO 3166-1 alpha-2 code with a numbering plan, such as ES, or empty");

        const string dedupe = $"{Root}:{Ingest.DedupeOptions.Section}";
        services.AddSettings<Ingest.DedupeOptions>(dedupe)
            .Validate(o => o.Window > TimeSpan.Zero, $"{dedupe}:Window must be positive")
            .Validate(o => o.Shards is >= 1 and <= 256, $"{dedupe}:Shards must be from 1 to 256");

        const string journal = $"{Root}:{JournalOptions.Section}";
        services.AddSettings<JournalOptions>(journal)
            .Validate(o => o.SnapshotEvery >= 1, $"{journal}:SnapshotEvery must be at least 1")
            .Validate(o => o.SnapshotDelay > TimeSpan.Zero, $"{journal}:SnapshotDelay must be longer than zero")
            .Validate(o => o.Retention >= TimeSpan.Zero, $"{journal}:Retention must not be negative")
            .Validate(o => o.ChangeRetention >= TimeSpan.Zero, $"{journal}:ChangeRetention must not be negative");

        const string classification = $"{Root}:{ClassificationOptions.Section}";
        services.AddSettings<ClassificationOptions>(classification)
            .Validate(o => o.ReportEvery > TimeSpan.Zero, $"{classification}:ReportEvery must be longer than zero")
            .Validate(o => o.CacheFor >= TimeSpan.Zero, $"{classification}:CacheFor must not be negative")
            .Validate(o => o.ReclassifyEvery >= TimeSpan.Zero, $"{classification}:ReclassifyEvery must not be negative");

        const string quality = $"{Root}:{DataQuality.QualityOptions.Section}";
        services.AddSettings<DataQuality.QualityOptions>(quality)
            .Validate(o => o.ReportEvery > TimeSpan.Zero, $"{quality}:ReportEvery must be longer than zero")
            .Validate(o => o.WriteEvery > TimeSpan.Zero, $"{quality}:WriteEvery must be longer than zero");

        const string models = $"{Root}:{ModelOptions.Section}";
        services.AddSettings<ModelOptions>(models)
            .Validate(o => o.RefitEvery > TimeSpan.Zero, $"{models}:RefitEvery must be longer than zero")
            .Validate(o => o.CheckEvery > TimeSpan.Zero, $"{models}:CheckEvery must be longer than zero")
            .Validate(o => Enum.IsDefined(o.TimeUnit), $"{models}:TimeUnit must be Day or Week")
            .Validate(o => o.MinRepeatBuyers >= 2, $"{models}:MinRepeatBuyers must be at least 2")
            .Validate(o => o.ClvHorizon >= TimeSpan.FromDays(1) && o.ClvHorizon <= TimeSpan.FromDays(3660), $"{models}:ClvHorizon must be between 1 day and 10 years")
            .Validate(o => o.AnnualDiscountRate is >= 0 and < 1, $"{models}:AnnualDiscountRate must be at least 0 and below 1");

        // Longer than the collector's quantum (a minute), which Orleans requires of every collection age.
        const string customers = $"{Root}:{CustomerActivationOptions.Section}";
        services.AddSettings<CustomerActivationOptions>(customers)
            .Validate(o => o.IdleAfter > TimeSpan.FromMinutes(1), $"{customers}:IdleAfter must be longer than 00:01:00");

        const string identity = $"{Root}:{IdentityOptions.Section}";
        services.AddSettings<IdentityOptions>(identity)
            .Validate(o => o.MaxIds is >= 2 and <= 10_000, $"{identity}:MaxIds must be between 2 and 10000")
            .Validate(o => o.FreezeTimeout >= TimeSpan.FromSeconds(1), $"{identity}:FreezeTimeout must be at least 1 second")
            .Validate(o => o.BlockedIds is null || o.BlockedIds.All(id => !string.IsNullOrWhiteSpace(id)), $"{identity}:BlockedIds must not list empty values");

        const string webhooks = $"{Root}:{WebhookOptions.Section}";
        services.AddSettings<WebhookOptions>(webhooks)
            .Validate(o => o.BatchSize is >= 1 and <= 1000, $"{webhooks}:BatchSize must be between 1 and 1000")
            .Validate(o => o.Timeout >= TimeSpan.FromMilliseconds(100) && o.Timeout <= TimeSpan.FromMinutes(5), $"{webhooks}:Timeout must be between 100 ms and 5 minutes")
            .Validate(o => o.MaxAttempts is >= 1 and <= 100, $"{webhooks}:MaxAttempts must be between 1 and 100")
            .Validate(o => o.RetryBase >= TimeSpan.FromMilliseconds(10), $"{webhooks}:RetryBase must be at least 10 ms")
            .Validate(o => o.RetryCap >= o.RetryBase && o.RetryCap <= TimeSpan.FromDays(1), $"{webhooks}:RetryCap must be at least RetryBase and at most 1 day")
            .Validate(
                o => o.AllowedHosts.All(h => Uri.CheckHostName(h.Trim('[', ']')) != UriHostNameType.Unknown),
                $"{webhooks}:AllowedHosts must list host names or IP addresses");
        return services;
    }
}
