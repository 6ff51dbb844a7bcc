using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerGrains.Cli.Output;

namespace CustomerGrains.Cli.Commands;

/// <summary><c>segments list|show|create|edit|delete|preview</c>: the routes under <c>/v1/stores/{store}/segments</c>.</summary>
public static class SegmentCommands
{
    private static readonly Argument<string> Id = new("segment") { Description = "The segment's id" };

    public static Command Create()
    {
        var segments = new Command("segments", "List, create, edit, preview and delete segments");
        segments.Add(List());
        segments.Add(Show());
        segments.Add(CreateSegment());
        segments.Add(Edit());
        segments.Add(Delete());
        segments.Add(Preview());
        return segments;
    }

    private static Command List() =>
        new Command("list", "The store's segments, with their exact member counts").Runs(async (context, ct) =>
        {
            var list = await context.Api.GetAsync(context.Api.Store("segments"), ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(list);
                return ExitCodes.Ok;
            }

            var items = list.GetProperty("items").EnumerateArray().ToList();
            var counts = new string[items.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
            {
                try
                {
                    var count = await context.Api.GetAsync(context.Api.Store("segments", items[i].GetProperty("id").GetString()!, "count"), token);
                    counts[i] = Render.Count(count.GetProperty("count").GetInt64());
                }
                catch (CliException gone) when (gone.ExitCode == ExitCodes.NotFound)
                {
                    // Deleted since the list was read.
                    counts[i] = "deleted";
                }
            });

            var table = Render.Table("id", "name", "members", "version", "status", "holdout", "rule");
            for (var i = 0; i < items.Count; i++)
            {
                var s = items[i];
                Render.Row(table, Render.Text(s, "id"), Render.Text(s, "name"), counts[i], Render.Text(s, "version"), Render.Text(s, "status"),
                    $"{Render.Text(s, "holdout")} %", Render.Text(s, "rule"));
            }

            context.Output.Write(table);
            return ExitCodes.Ok;
        });

    private static Command Show()
    {
        var show = new Command("show", "One segment: its definition, status and exact member count") { Id };
        return show.Runs(async (context, ct) =>
        {
            var id = context.Value(Id);
            var segment = await context.Api.GetAsync(context.Api.Store("segments", id), ct);
            var count = await context.Api.GetAsync(context.Api.Store("segments", id, "count"), ct);
            if (context.Output.Json)
            {
                // The segment as the API shows it, with its count (GET …/count) beside it.
                var document = JsonNode.Parse(segment.GetRawText())!.AsObject();
                document["count"] = JsonNode.Parse(count.GetRawText());
                context.Output.WriteJson(document);
                return ExitCodes.Ok;
            }

            context.Output.Write(Render.Fields(segment, $"segment {id}: {Render.Count(count.GetProperty("count").GetInt64())} members"));
            return ExitCodes.Ok;
        });
    }

    private static Command CreateSegment()
    {
        var rule = new Option<string>("--rule") { Description = "The rule, e.g. \"orders >= 2 and revenue > 100\"", Required = true };
        var (name, description, parent, holdout, minDwell) = DefinitionOptions();
        var create = new Command("create", "Create a segment; the store's customers are backfilled into it") { Id, rule, name, description, parent, holdout, minDwell };
        return create.Runs(async (context, ct) =>
        {
            var body = new JsonObject { ["id"] = context.Value(Id), ["rule"] = context.Value(rule) };
            Set(body, "name", context.Value(name));
            Set(body, "description", context.Value(description));
            Set(body, "parent", context.Value(parent));
            Set(body, "minDwell", context.Value(minDwell));
            if (context.Value(holdout) is { } share)
            {
                body["holdout"] = share;
            }

            var created = await context.Api.PostAsync(context.Api.Store("segments"), body, ct);
            Saved(context, created, "created");
            return ExitCodes.Ok;
        });
    }

    private static Command Edit()
    {
        var rule = new Option<string?>("--rule") { Description = "The new rule" };
        var (name, description, parent, holdout, minDwell) = DefinitionOptions();
        var edit = new Command("edit", "Change a segment: a new version, backfilled; what is not given stays as it is") { Id, rule, name, description, parent, holdout, minDwell };
        return edit.Runs(async (context, ct) =>
        {
            var id = context.Value(Id);
            var changes = new (string Field, string? Value)[]
            {
                ("rule", context.Value(rule)), ("name", context.Value(name)), ("description", context.Value(description)),
                ("parent", context.Value(parent)), ("minDwell", context.Value(minDwell)),
            };
            if (changes.All(c => c.Value is null) && context.Value(holdout) is null)
            {
                throw CliException.Usage("nothing to change: give --rule, --name, --description, --parent, --holdout or --min-dwell");
            }

            // The API replaces the whole definition (PUT): start from the current one, the latest version's rule included.
            var current = await context.Api.GetAsync(context.Api.Store("segments", id), ct);
            var body = new JsonObject
            {
                ["name"] = Render.Text(current, "name"),
                ["rule"] = current.TryGetProperty("pendingRule", out var pending) && pending.ValueKind == JsonValueKind.String
                    ? pending.GetString() : current.GetProperty("rule").GetString(),
                ["holdout"] = current.GetProperty("holdout").GetInt32(),
            };
            foreach (var field in new[] { "description", "parent", "minDwell" })
            {
                if (current.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    body[field] = value.GetString();
                }
            }

            foreach (var (field, value) in changes.Where(c => c.Value is not null))
            {
                // An empty value clears an optional field (--description "", --min-dwell "").
                body[field] = value!.Length == 0 && field is "description" or "parent" or "minDwell" ? null : value;
            }

            if (context.Value(holdout) is { } share)
            {
                body["holdout"] = share;
            }

            var saved = await context.Api.PutAsync(context.Api.Store("segments", id), body, ct);
            Saved(context, saved, "saved");
            return ExitCodes.Ok;
        });
    }

    private static Command Delete()
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var delete = new Command("delete", "Delete a segment and its memberships") { Id, yes };
        return delete.Runs(async (context, ct) =>
        {
            var id = context.Value(Id);
            if (!context.Output.Confirm($"Delete segment '{id}' of store '{context.Connection.Store}'?", context.Value(yes)))
            {
                CliOutput.Warn("nothing was deleted");
                return ExitCodes.Ok;
            }

            await context.Api.DeleteAsync(context.Api.Store("segments", id), ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new { deleted = id });
            }
            else
            {
                context.Output.Line($"deleted segment '{id}'");
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Preview()
    {
        var rule = new Argument<string>("rule") { Description = "A draft rule, e.g. \"count(visit, 30d) >= 3\"" };
        var sample = new Option<int>("--sample") { Description = "How many matching customer ids to show (0–100)", DefaultValueFactory = _ => 10 };
        var preview = new Command("preview", "How many of the store's customers a draft rule selects now, and a sample; nothing is saved") { rule, sample };
        return preview.Runs(async (context, ct) =>
        {
            var answer = await context.Api.PostAsync(context.Api.Store("segments", "preview"), new JsonObject { ["rule"] = context.Value(rule), ["sample"] = context.Value(sample) }, ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(answer);
                return ExitCodes.Ok;
            }

            context.Output.Line($"{Render.Count(answer.GetProperty("count").GetInt64())} of {Render.Count(answer.GetProperty("evaluated").GetInt64())} customers match, as of {Render.Text(answer, "asOf")}");
            context.Output.Line($"rule: {Render.Text(answer, "rule")}");
            var ids = answer.GetProperty("sample").EnumerateArray().Select(Render.Scalar).ToList();
            if (ids.Count > 0)
            {
                context.Output.Line($"sample: {string.Join(", ", ids)}");
            }

            return ExitCodes.Ok;
        });
    }

    private static (Option<string?> Name, Option<string?> Description, Option<string?> Parent, Option<int?> Holdout, Option<string?> MinDwell) DefinitionOptions() =>
    (
        new Option<string?>("--name") { Description = "A name for people (default: the id)" },
        new Option<string?>("--description") { Description = "What the segment is for" },
        new Option<string?>("--parent") { Description = "A segment whose members only this one may hold" },
        new Option<int?>("--holdout") { Description = "Percent of members kept as a control group (0–50)" },
        new Option<string?>("--min-dwell") { Description = "Stays shorter than this (e.g. 10m, 1h, 2d) are not announced" }
    );

    private static void Set(JsonObject body, string field, string? value)
    {
        if (value is not null)
        {
            body[field] = value;
        }
    }

    private static void Saved(CliContext context, JsonElement segment, string verb)
    {
        if (context.Output.Json)
        {
            context.Output.WriteJson(segment);
            return;
        }

        var pending = segment.TryGetProperty("pendingVersion", out var p) && p.ValueKind == JsonValueKind.Number ? $", version {p} backfilling" : "";
        context.Output.Line($"{verb} segment '{Render.Text(segment, "id")}' (version {Render.Text(segment, "version")}{pending}, {Render.Text(segment, "status")})");
        var rule = segment.TryGetProperty("pendingRule", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : Render.Text(segment, "rule");
        context.Output.Line($"rule: {rule}");
    }
}
