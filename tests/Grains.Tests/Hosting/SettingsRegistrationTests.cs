using CustomerGrains.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Tests.Hosting;

/// <summary>A bad setting stops the host at start with a message naming it; the defaults start.</summary>
public sealed class SettingsRegistrationTests
{
    [Theory]
    [InlineData("CustomerGrains:SiloPort", "70000")]
    [InlineData("CustomerGrains:GatewayPort", "0")]
    [InlineData("CustomerGrains:AdvertisedIp", "pod-7")]
    [InlineData("CustomerGrains:Behaviour:RetentionDays", "0")]
    [InlineData("CustomerGrains:Behaviour:MaxRetainedEvents", "-1")]
    [InlineData("CustomerGrains:Behaviour:DefaultPhoneRegion", "Spain")]
    [InlineData("CustomerGrains:Behaviour:DefaultPhoneRegion", "es")]
    [InlineData("CustomerGrains:Behaviour:DefaultPhoneRegion", "XX")]
    [InlineData("CustomerGrains:Journal:SnapshotEvery", "0")]
    [InlineData("CustomerGrains:Journal:SnapshotDelay", "00:00:00")]
    [InlineData("CustomerGrains:Journal:Retention", "-00:00:01")]
    [InlineData("CustomerGrains:Classification:ReportEvery", "00:00:00")]
    [InlineData("CustomerGrains:Quality:ReportEvery", "00:00:00")]
    [InlineData("CustomerGrains:Quality:WriteEvery", "-00:00:01")]
    [InlineData("CustomerGrains:Customers:IdleAfter", "00:01:00")]
    public async Task A_bad_setting_stops_the_start_naming_the_setting(string setting, string value)
    {
        using var host = Host(new() { [setting] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CustomerGrains:Journal:Retention", "00:00:00")]
    [InlineData("CustomerGrains:Behaviour:DefaultPhoneRegion", "ES")]
    [InlineData("CustomerGrains:Behaviour:DefaultPhoneRegion", "")]
    [InlineData("CustomerGrains:Customers:IdleAfter", "00:02:00")]
    public async Task The_defaults_and_these_settings_start(string setting, string value)
    {
        using var host = Host(new() { [setting] = value });

        await host.StartAsync();
        await host.StopAsync();
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddHostSettings();
        builder.Services.AddEngineSettings();
        return builder.Build();
    }
}
