using System.Globalization;

namespace CustomerGrains.Import;

/// <summary>How far an import got: every line before <see cref="Offset"/> is acknowledged (durable).</summary>
public sealed record Checkpoint(long Offset, long Line)
{
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path))
        {
            return new Checkpoint(0, 0);
        }

        var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var offset)
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var line)
                ? new Checkpoint(offset, line)
                : throw new InvalidDataException($"{path} is not an import checkpoint; delete it or pass --restart");
    }

    /// <summary>Written to a temp file and renamed, so a crash never leaves half a checkpoint.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, string.Create(CultureInfo.InvariantCulture, $"{Offset} {Line}"));
        File.Move(temp, path, overwrite: true);
    }
}
