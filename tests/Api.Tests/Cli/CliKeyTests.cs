using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Cli.CliTestData;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests.Cli;

/// <summary><c>customergrains keys …</c>, and where the CLI finds its URL, store and key: option, then environment, then config file.</summary>
[Collection(ApiCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliKeyTests(ApiFixture fixture) : IDisposable
{
    private readonly CliProcess _cli = new();

    [Fact]
    public async Task A_key_is_created_used_from_the_environment_listed_and_revoked()
    {
        var name = $"cli-{Guid.NewGuid().ToString("N")[..8]}";
        var created = (await _cli.RunAsync(AsAdmin(fixture, "keys", "create", "--name", name, "--scopes", "read,admin", "--json"))).Exits(0).Json;
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(["admin", "read"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var environment = new Dictionary<string, string>
        {
            ["CUSTOMERGRAINS_URL"] = fixture.Api.BaseAddress.ToString(),
            ["CUSTOMERGRAINS_STORE"] = "shop-a",
            ["CUSTOMERGRAINS_API_KEY"] = key,
        };
        (await _cli.RunAsync(environment, "segments", "list", "--json")).Exits(0);

        var list = (await _cli.RunAsync(environment, "keys", "list", "--json")).Exits(0);
        var listed = list.Json.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal(name, listed.GetProperty("name").GetString());
        Assert.DoesNotContain(key, list.Stdout, StringComparison.Ordinal);

        // In text, the secret alone on standard output (for $(…)), the warning on standard error.
        var plain = (await _cli.RunAsync(AsAdmin(fixture, "keys", "create", "--scopes", "ingest"))).Exits(0);
        Assert.StartsWith("cgk_shop-a_", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("shown this once only", plain.Stderr, StringComparison.Ordinal);

        (await _cli.RunAsync(AsAdmin(fixture, "keys", "revoke", id))).Exits(0);
        var revoked = (await _cli.RunAsync(environment, "segments", "list")).Exits(3);
        Assert.Contains("valid API key", revoked.Stderr, StringComparison.Ordinal);
        (await _cli.RunAsync(AsAdmin(fixture, "keys", "revoke", id))).Exits(2);
        (await _cli.RunAsync(AsAdmin(fixture, "keys", "create", "--scopes", "read,owner"))).Exits(1);
    }

    [Fact]
    public async Task The_config_file_supplies_what_neither_an_option_nor_the_environment_gives()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_cli.ConfigFile)!);
        await File.WriteAllTextAsync(_cli.ConfigFile, $$"""{"url": "{{fixture.Api.BaseAddress}}", "store": "shop-a", "key": "{{AdminA}}"}""");
        File.SetUnixFileMode(_cli.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var fromFile = (await _cli.RunAsync("segments", "list", "--json")).Exits(0);
        Assert.Equal("", fromFile.Stderr);
        var shown = (await _cli.RunAsync("config", "show", "--json")).Exits(0).Json;
        Assert.Equal($"config file {_cli.ConfigFile}", shown.GetProperty("sources").GetProperty("key").GetString());
        Assert.DoesNotContain(AdminA, shown.GetRawText(), StringComparison.Ordinal);

        // The environment outranks the file, and an option outranks the environment.
        var wrong = new Dictionary<string, string> { ["CUSTOMERGRAINS_API_KEY"] = "not-a-key" };
        (await _cli.RunAsync(wrong, "segments", "list")).Exits(3);
        (await _cli.RunAsync(wrong, "segments", "list", "--key", AdminA)).Exits(0);
        (await _cli.RunAsync(new Dictionary<string, string> { ["CUSTOMERGRAINS_STORE"] = "shop-b" }, "segments", "list")).Exits(3);

        // A key readable by other users is used, with a warning; a malformed file is a usage error naming it.
        File.SetUnixFileMode(_cli.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Contains("other users can read it", (await _cli.RunAsync("segments", "list")).Exits(0).Stderr, StringComparison.Ordinal);
        await File.WriteAllTextAsync(_cli.ConfigFile, """{"url": "http://127.0.0.1:1", "apiKey": "x"}""");
        var malformed = (await _cli.RunAsync("segments", "list")).Exits(1);
        Assert.Contains(_cli.ConfigFile, malformed.Stderr, StringComparison.Ordinal);
        Assert.Contains("'apiKey' is not a setting", malformed.Stderr, StringComparison.Ordinal);

        // CUSTOMERGRAINS_CONFIG names another file.
        var other = Path.Combine(_cli.Home, "other.json");
        await File.WriteAllTextAsync(other, $$"""{"url": "{{fixture.Api.BaseAddress}}", "store": "shop-a", "key": "{{AdminA}}"}""");
        (await _cli.RunAsync(new Dictionary<string, string> { ["CUSTOMERGRAINS_CONFIG"] = other }, "segments", "list")).Exits(0);
    }

    public void Dispose() => _cli.Dispose();
}
