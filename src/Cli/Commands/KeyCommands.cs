using System.CommandLine;
using System.Text.Json.Nodes;
using CustomerGrains.Cli.Output;

namespace CustomerGrains.Cli.Commands;

/// <summary><c>keys create|list|revoke</c>: the store's created API keys (configured keys are not listed).</summary>
public static class KeyCommands
{
    private static readonly string[] Scopes = ["ingest", "read", "admin"];

    public static Command Create()
    {
        var keys = new Command("keys", "Create, list and revoke the store's API keys");
        keys.Add(CreateKey());
        keys.Add(List());
        keys.Add(Revoke());
        return keys;
    }

    private static Command CreateKey()
    {
        var name = new Option<string?>("--name") { Description = "What the key is for" };
        var scopes = new Option<string[]>("--scopes")
        {
            Description = "Scopes, comma-separated or repeated: ingest, read, admin",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var create = new Command("create", "Create a key; its secret is shown this once only") { name, scopes };
        return create.Runs(async (context, ct) =>
        {
            var given = context.Value(scopes)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
            var unknown = given.Except(Scopes).ToList();
            if (given.Count == 0 || unknown.Count > 0)
            {
                throw CliException.Usage($"--scopes takes ingest, read and admin{(unknown.Count > 0 ? $", not {string.Join(", ", unknown)}" : "")}");
            }

            var body = new JsonObject { ["scopes"] = new JsonArray([.. given.Select(s => (JsonNode)s)]) };
            if (context.Value(name) is { } text)
            {
                body["name"] = text;
            }

            var created = await context.Api.PostAsync(context.Api.Store("keys"), body, ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(created);
                return ExitCodes.Ok;
            }

            context.Output.Line(Render.Text(created, "key"));
            CliOutput.Warn($"key {Render.Text(created, "id")} ({Render.Text(created, "scopes")}) created: the line above is its secret, shown this once only");
            return ExitCodes.Ok;
        });
    }

    private static Command List() =>
        new Command("list", "The store's created keys, never their secrets").Runs(async (context, ct) =>
        {
            var list = await context.Api.GetAsync(context.Api.Store("keys"), ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(list);
                return ExitCodes.Ok;
            }

            var table = Render.Table("id", "name", "scopes", "created at", "prefix");
            foreach (var key in list.GetProperty("items").EnumerateArray())
            {
                Render.Row(table, Render.Text(key, "id"), Render.Text(key, "name"), Render.Text(key, "scopes"), Render.Text(key, "createdAt"), Render.Text(key, "prefix"));
            }

            context.Output.Write(table);
            return ExitCodes.Ok;
        });

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The key's id (keys list shows it)" };
        var revoke = new Command("revoke", "Revoke a key: requests with it are refused from now on") { id };
        return revoke.Runs(async (context, ct) =>
        {
            var keyId = context.Value(id);
            await context.Api.DeleteAsync(context.Api.Store("keys", keyId), ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new { revoked = keyId });
            }
            else
            {
                context.Output.Line($"revoked key {keyId}");
            }

            return ExitCodes.Ok;
        });
    }
}
