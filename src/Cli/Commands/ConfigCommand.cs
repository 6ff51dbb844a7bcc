using System.CommandLine;
using CustomerGrains.Cli.Output;
using CustomerGrains.Cli.Settings;

namespace CustomerGrains.Cli.Commands;

/// <summary><c>config show</c>: the URL, store and key the commands would use, and where each came from.</summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var config = new Command("config", "The settings the commands use");
        config.Add(new Command("show", "The URL, store and key (abbreviated) the commands use, and where each comes from").Runs((context, _) =>
        {
            var c = context.Connection;
            var key = c.Key.Length > 12 ? c.Key[..8] + "…" : c.Key[..Math.Min(4, c.Key.Length)] + "…";
            if (context.Output.Json)
            {
                context.Output.WriteJson(new
                {
                    url = c.Url.ToString(),
                    store = c.Store,
                    key,
                    sources = new { url = c.UrlSource, store = c.StoreSource, key = c.KeySource },
                    configFile = c.ConfigPath,
                    defaultConfigFile = ConfigFile.DefaultPath(),
                });
                return Task.FromResult(ExitCodes.Ok);
            }

            var table = Render.Table("setting", "value", "from");
            Render.Row(table, "url", c.Url.ToString(), c.UrlSource);
            Render.Row(table, "store", c.Store, c.StoreSource);
            Render.Row(table, "key", key, c.KeySource);
            context.Output.Write(table);
            context.Output.Line($"config file: {c.ConfigPath ?? $"none ({ConfigFile.DefaultPath()} does not exist)"}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return config;
    }
}
