using System.CommandLine;

namespace CustomerGrains.Cli;

/// <summary>Options every command takes (recursive: given before or after the command's name).</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Url = new("--url", "--api")
    {
        Description = "The API's base URL [env CUSTOMERGRAINS_URL; default http://127.0.0.1:5080]",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "The store [env CUSTOMERGRAINS_STORE; default demo]",
        Recursive = true,
    };

    public static readonly Option<string?> Key = new("--key")
    {
        Description = "The API key [env CUSTOMERGRAINS_API_KEY; default the development key cg_dev_demo_key]",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "The config file [env CUSTOMERGRAINS_CONFIG; default ~/.config/customergrains/config.json]",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print one JSON document (the API's answer) instead of text; errors as {\"error\": …} on standard error",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "No progress bars",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Url, Store, Key, Config, Json, Quiet];
}
