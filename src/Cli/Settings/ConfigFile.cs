using System.Text.Json;

namespace CustomerGrains.Cli.Settings;

/// <summary>
/// The optional config file, <c>{"url": "…", "store": "…", "key": "…"}</c> (every member optional), by default
/// <c>~/.config/customergrains/config.json</c> (<c>$XDG_CONFIG_HOME</c> when set; <c>%APPDATA%</c> on Windows).
/// </summary>
public sealed record ConfigFile(string Path, string? Url, string? Store, string? Key)
{
    /// <summary>Where the file is looked for when neither <c>--config</c> nor <c>CUSTOMERGRAINS_CONFIG</c> names one.</summary>
    public static string DefaultPath() =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            "customergrains", "config.json");

    /// <summary>The file's settings; null when the default file does not exist. A file named explicitly must exist.</summary>
    public static ConfigFile? Load(string path, bool named)
    {
        if (!File.Exists(path))
        {
            return named ? throw CliException.Usage($"config file {path} does not exist") : null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw CliException.Usage($"config file {path} must hold a JSON object {{\"url\", \"store\", \"key\"}}");
            }

            foreach (var member in root.EnumerateObject())
            {
                if (member.Name is not ("url" or "store" or "key") || member.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    throw CliException.Usage($"config file {path}: '{member.Name}' is not a setting (url, store and key are, each a string)");
                }
            }

            WarnIfReadableByOthers(path, root);
            return new ConfigFile(path, Text(root, "url"), Text(root, "store"), Text(root, "key"));
        }
        catch (JsonException error)
        {
            throw CliException.Usage($"config file {path} is not valid JSON: {error.Message}");
        }
        catch (IOException error)
        {
            throw CliException.Usage($"config file {path} cannot be read: {error.Message}");
        }
        catch (UnauthorizedAccessException error)
        {
            throw CliException.Usage($"config file {path} cannot be read: {error.Message}");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>A key is a secret: say so when other users of the machine can read the file (as ssh does).</summary>
    private static void WarnIfReadableByOthers(string path, JsonElement root)
    {
        if (OperatingSystem.IsWindows() || !root.TryGetProperty("key", out _))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            Console.Error.WriteLine($"warning: {path} holds an API key and other users can read it (chmod 600 {path})");
        }
    }
}
