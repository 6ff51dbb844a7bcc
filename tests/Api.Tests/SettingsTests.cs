using CustomerGrains.Api.Tests.Infrastructure;

namespace CustomerGrains.Api.Tests;

/// <summary>Both hosts check their settings the same way: a bad one stops the process at start, naming it.</summary>
public sealed class SettingsTests
{
    [Fact]
    public async Task The_Api_does_not_start_with_a_bad_engine_setting_and_says_which()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-settings-{Guid.NewGuid():N}");
        try
        {
            await using var api = new HostProcess(dataPath, new Dictionary<string, string> { ["CustomerGrains__Journal__SnapshotEvery"] = "0" });

            var error = await Assert.ThrowsAsync<InvalidOperationException>(api.StartAsync);

            Assert.True(api.HasExited, error.Message);
            Assert.Contains("CustomerGrains:Journal:SnapshotEvery must be at least 1", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            HostProcess.DeleteData(dataPath);
        }
    }

    [Theory]
    [InlineData("ASPNETCORE_URLS")]
    [InlineData("URLS")]
    [InlineData("--urls")]
    public async Task The_Api_listens_where_the_platform_conventions_say(string how)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-settings-{Guid.NewGuid():N}");
        try
        {
            // Not through the tests' usual Urls variable: its own way only, and it must win over the built-in default.
            await using var api = new HostProcess(dataPath);
            api.Set("Urls", "");
            var address = $"http://127.0.0.1:{api.Port}";
            if (how == "--urls")
            {
                api.Arguments.AddRange(["--urls", address]);
            }
            else
            {
                api.Set(how, address);
            }

            // Ready only once its health route answers at that address.
            await api.StartAsync();
        }
        finally
        {
            HostProcess.DeleteData(dataPath);
        }
    }

    [Theory]
    [InlineData("BatchSize", "0", "CustomerGrains:Webhooks:BatchSize must be between 1 and 1000")]
    [InlineData("RetryCap", "00:00:01", "CustomerGrains:Webhooks:RetryCap must be at least RetryBase")]
    [InlineData("AllowedHosts__0", "not a host!", "CustomerGrains:Webhooks:AllowedHosts must list host names or IP addresses")]
    public async Task The_Api_does_not_start_with_a_bad_webhook_setting_and_says_which(string setting, string value, string message)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-settings-{Guid.NewGuid():N}");
        try
        {
            await using var api = new HostProcess(dataPath, new Dictionary<string, string> { [$"CustomerGrains__Webhooks__{setting}"] = value });

            var error = await Assert.ThrowsAsync<InvalidOperationException>(api.StartAsync);

            Assert.True(api.HasExited, error.Message);
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            HostProcess.DeleteData(dataPath);
        }
    }

    [Fact]
    public async Task The_Api_does_not_start_with_a_bad_rate_limit_and_says_which()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-settings-{Guid.NewGuid():N}");
        try
        {
            await using var api = new HostProcess(dataPath, new Dictionary<string, string> { ["CustomerGrains__RateLimit__Burst"] = "0" });

            var error = await Assert.ThrowsAsync<InvalidOperationException>(api.StartAsync);

            Assert.Contains("CustomerGrains:RateLimit:Burst must be at least 1", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            HostProcess.DeleteData(dataPath);
        }
    }

    [Fact]
    public async Task The_silo_does_not_start_with_a_bad_engine_setting_and_says_which()
    {
        // Settings are checked before anything starts, so the silo never reaches this (absent) database.
        await using var silo = HostProcess.Silo(new Dictionary<string, string>
        {
            ["CustomerGrains__PostgreSql"] = "Host=127.0.0.1;Port=1;Database=none;Timeout=1",
            ["CustomerGrains__SiloPort"] = HostProcess.FreePortText(),
            ["CustomerGrains__GatewayPort"] = HostProcess.FreePortText(),
            ["CustomerGrains__Behaviour__RetentionDays"] = "0",
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(silo.StartAsync);

        Assert.True(silo.HasExited, error.Message);
        Assert.Contains("CustomerGrains:Behaviour:RetentionDays must be at least 1", error.Message, StringComparison.Ordinal);
    }
}
