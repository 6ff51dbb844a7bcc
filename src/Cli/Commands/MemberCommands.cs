using System.CommandLine;
using System.Text;
using System.Text.Json;
using CustomerGrains.Cli.Output;

namespace CustomerGrains.Cli.Commands;

/// <summary><c>members export</c>: every page of <c>GET …/segments/{segment}/members</c>, as CSV or one JSON document.</summary>
public static class MemberCommands
{
    /// <summary>The members route's largest page.</summary>
    private const int PageSize = 1000;

    public static Command Create()
    {
        var members = new Command("members", "A segment's members");
        members.Add(Export());
        return members;
    }

    private static Command Export()
    {
        var segment = new Argument<string>("segment") { Description = "The segment's id" };
        var csv = new Option<bool>("--csv") { Description = "CSV with a header row customerId,enteredAt,cause (the default; --json gives one JSON document)" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write to this file (replaced once the export is complete) instead of standard output" };
        var export = new Command("export", "Every member of a segment, ordered by customer id, as CSV or JSON") { segment, csv, output };
        return export.Runs(async (context, ct) =>
        {
            var id = context.Value(segment);
            if (context.Value(csv) && context.Output.Json)
            {
                throw CliException.Usage("choose one format: --csv or --json");
            }

            // The count sizes the bar, and an unknown segment fails here before any file is touched.
            var count = await context.Api.GetAsync(context.Api.Store("segments", id, "count"), ct);
            var file = context.Value(output);
            var partial = file is null ? null : file.FullName + ".partial";
            long written;
            try
            {
            await using (var stream = partial is null ? Console.OpenStandardOutput() : new FileStream(partial, FileMode.Create, FileAccess.Write))
            {
                written = await context.Output.WithProgressAsync($"exporting {id}", streamsToStandardOutput: file is null, async bar =>
                {
                    bar.Total(count.GetProperty("count").GetInt64());
                    var rows = context.Output.Json
                        ? await WriteJsonAsync(context, id, stream, bar, ct)
                        : await WriteCsvAsync(context, id, stream, bar, ct);
                    bar.Complete();
                    return rows;
                });
            }
            }
            catch when (partial is not null)
            {
                // A half export is no export: the file named keeps what it held before.
                File.Delete(partial);
                throw;
            }

            if (file is not null)
            {
                File.Move(partial!, file.FullName, overwrite: true);
                CliOutput.Warn($"{Render.Count(written)} members of {id} written to {file.FullName}");
            }

            return ExitCodes.Ok;
        });
    }

    /// <summary>Pages of the members route in order, following <c>nextCursor</c> to the end.</summary>
    private static async IAsyncEnumerable<JsonElement> PagesAsync(CliContext context, string segment, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var query = $"?limit={PageSize}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await context.Api.GetAsync(context.Api.Store("segments", segment, "members") + query, ct);
            yield return page;
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
    }

    private static async Task<long> WriteCsvAsync(CliContext context, string segment, Stream stream, ProgressBar bar, CancellationToken ct)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync("customerId,enteredAt,cause");
        long rows = 0;
        await foreach (var page in PagesAsync(context, segment, ct))
        {
            foreach (var member in page.GetProperty("items").EnumerateArray())
            {
                await writer.WriteLineAsync($"{Csv(member, "customerId")},{Csv(member, "enteredAt")},{Csv(member, "cause")}");
                rows++;
            }

            bar.Done(rows);
        }

        return rows;
    }

    private static async Task<long> WriteJsonAsync(CliContext context, string segment, Stream stream, ProgressBar bar, CancellationToken ct)
    {
        await using var writer = new Utf8JsonWriter(stream, CliOutput.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("segment", segment);
        writer.WriteStartArray("items");
        long rows = 0;
        await foreach (var page in PagesAsync(context, segment, ct))
        {
            foreach (var member in page.GetProperty("items").EnumerateArray())
            {
                member.WriteTo(writer);
                rows++;
            }

            await writer.FlushAsync(ct);
            bar.Done(rows);
        }

        writer.WriteEndArray();
        writer.WriteNumber("count", rows);
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
        await stream.WriteAsync("\n"u8.ToArray(), ct);
        return rows;
    }

    /// <summary>RFC 4180 quoting: a field with a comma, a quote or a line break is quoted, its quotes doubled; null is empty.</summary>
    private static string Csv(JsonElement member, string name)
    {
        var text = member.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
