using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CustomerGrains.Cli.Output;

/// <summary>The API's JSON as tables for a person. Values are plain text, never Spectre markup (ids may hold '[').</summary>
public static class Render
{
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    public static void Row(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "—")).ToArray());

    /// <summary>Every leaf of an object, one row each, nested names joined with dots (<c>classification.rfm.class</c>).</summary>
    public static Table Fields(JsonElement element, string? title = null)
    {
        var table = Table("field", "value");
        if (title is not null)
        {
            table.Title = new TableTitle(Markup.Escape(title));
        }

        foreach (var (name, value) in Flatten(element, ""))
        {
            Row(table, name, value);
        }

        return table;
    }

    /// <summary>A value as one line: strings as they are, null as a dash, arrays of scalars comma-separated, others as JSON.</summary>
    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
            string.Join(", ", value.EnumerateArray().Select(Scalar)),
        _ => value.GetRawText(),
    };

    public static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? Scalar(value) : "—";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static IEnumerable<(string Name, string Value)> Flatten(JsonElement element, string prefix)
    {
        foreach (var member in element.EnumerateObject())
        {
            var name = prefix + member.Name;
            if (member.Value.ValueKind == JsonValueKind.Object && member.Value.EnumerateObject().Any())
            {
                foreach (var leaf in Flatten(member.Value, name + "."))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (name, Scalar(member.Value));
            }
        }
    }
}
