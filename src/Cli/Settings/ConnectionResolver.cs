namespace CustomerGrains.Cli.Settings;

/// <summary>
/// Each setting from the first place that has it: the command line, then the environment, then the config file, then the
/// embedded development host's (so the quick start needs no setup).
/// </summary>
public static class ConnectionResolver
{
    public const string UrlVariable = "CUSTOMERGRAINS_URL";
    public const string KeyVariable = "CUSTOMERGRAINS_API_KEY";
    public const string StoreVariable = "CUSTOMERGRAINS_STORE";
    public const string ConfigVariable = "CUSTOMERGRAINS_CONFIG";

    /// <summary>The variable the importer read before it joined the CLI; still honoured, after <see cref="KeyVariable"/>.</summary>
    public const string LegacyKeyVariable = "CG_API_KEY";

    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string DefaultStore = "demo";
    public const string DefaultKey = "cg_dev_demo_key";

    public static Connection Resolve(string? url, string? store, string? key, string? configPath)
    {
        var namedConfig = configPath ?? Variable(ConfigVariable);
        var config = ConfigFile.Load(namedConfig ?? ConfigFile.DefaultPath(), named: namedConfig is not null);
        var fromFile = config is null ? null : $"config file {config.Path}";

        var (urlText, urlSource) = First((url, "--url"), (Variable(UrlVariable), UrlVariable), (config?.Url, fromFile), (DefaultUrl, "default"));
        var (storeText, storeSource) = First((store, "--store"), (Variable(StoreVariable), StoreVariable), (config?.Store, fromFile), (DefaultStore, "default"));
        var (keyText, keySource) = First(
            (key, "--key"), (Variable(KeyVariable), KeyVariable), (Variable(LegacyKeyVariable), LegacyKeyVariable), (config?.Key, fromFile), (DefaultKey, "default"));

        return new Connection(ParseUrl(urlText, urlSource), storeText, keyText, urlSource, storeSource, keySource, config?.Path);
    }

    private static Uri ParseUrl(string text, string source)
    {
        // A trailing slash, so that an Api behind a path prefix (https://host/cg) keeps it for the relative routes.
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"the API URL '{text}' (from {source}) is not an http(s) URL");
        }

        return uri;
    }

    private static (string Value, string Source) First(params (string? Value, string? Source)[] candidates)
    {
        var found = candidates.First(c => !string.IsNullOrWhiteSpace(c.Value));
        return (found.Value!.Trim(), found.Source!);
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
