namespace CustomerGrains.Architecture.Tests;

/// <summary>One row of the rooms table in docs/ARCHITECTURE.md.</summary>
internal sealed record Room(string Name, bool Pure, IReadOnlyList<string> MayUse, bool MayUseAny)
{
    public const string Prefix = "CustomerGrains.Grains.";

    public string Namespace => Prefix + Name;

    /// <summary>The rooms of docs/ARCHITECTURE.md, in the document's order (between its rooms markers).</summary>
    public static IReadOnlyList<Room> FromDocument()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ARCHITECTURE.md"));
        var begin = Array.IndexOf(lines, "<!-- rooms:begin -->");
        var end = Array.IndexOf(lines, "<!-- rooms:end -->");
        Assert.True(begin >= 0 && end > begin, "docs/ARCHITECTURE.md marks its rooms table with rooms:begin and rooms:end");
        return [.. lines[(begin + 3)..end].Select(Parse)];
    }

    private static Room Parse(string line)
    {
        var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        Assert.True(cells.Length == 4, $"a rooms row has four cells: {line}");
        var uses = cells[3] == "—" || cells[3] == "any room"
            ? []
            : cells[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new Room(cells[0], cells[1] == "yes", uses, cells[3] == "any room");
    }
}
