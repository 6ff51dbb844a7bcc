using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CustomerGrains.Import;

/// <summary>
/// Streams a file line by line from a byte offset, turning each line into our event JSON (NDJSON lines
/// are taken as they are; CSV lines through the mapping). Holds one line at a time.
/// </summary>
public sealed class LineReader(ImportOptions options) : IDisposable
{
    private readonly FileStream _file = new(options.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    private string[]? _columns;

    public long Length => _file.Length;

    /// <summary>The byte offset just after the last line returned.</summary>
    public long Position { get; private set; }

    public long LineNumber { get; private set; }

    /// <summary>Positions the reader at a checkpoint (byte offset and the line number there).</summary>
    public void Seek(long offset, long lineNumber)
    {
        if (options.Csv is { Header: true })
        {
            ReadHeader();
        }

        if (offset > Position)
        {
            _file.Position = offset;
            Position = offset;
            LineNumber = lineNumber;
        }
    }

    /// <summary>The next non-empty line as event JSON text, or null at the end.</summary>
    public string? Next()
    {
        while (ReadLine() is { } line)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }

            return options.Csv is { } csv ? FromCsv(line, csv) : line;
        }

        return null;
    }

    public void Dispose() => _file.Dispose();

    private void ReadHeader()
    {
        if (Position == 0 && ReadLine() is { } header)
        {
            _columns = Split(header, options.Csv!.Delimiter);
        }
    }

    private string? ReadLine()
    {
        var bytes = new List<byte>(256);
        int b;
        while ((b = _file.ReadByte()) >= 0)
        {
            Position++;
            if (b == '\n')
            {
                break;
            }

            bytes.Add((byte)b);
        }

        if (b < 0 && bytes.Count == 0)
        {
            return null;
        }

        LineNumber++;
        if (bytes.Count > 0 && bytes[^1] == '\r')
        {
            bytes.RemoveAt(bytes.Count - 1);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private string FromCsv(string line, CsvMapping csv)
    {
        var values = Split(line, csv.Delimiter);
        string? Column(string name)
        {
            if (name.StartsWith('@'))
            {
                return name[1..];
            }

            var index = _columns is not null ? Array.IndexOf(_columns, name) : int.TryParse(name, CultureInfo.InvariantCulture, out var n) ? n - 1 : -1;
            return index >= 0 && index < values.Length ? values[index] : null;
        }

        var e = new JsonObject();
        var properties = new JsonObject();
        foreach (var (field, column) in csv.Fields)
        {
            var value = Column(column);
            if (field.StartsWith("properties.", StringComparison.Ordinal))
            {
                properties[field["properties.".Length..]] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(value);
            }
            else
            {
                e[field] = field == "timestamp" ? Timestamp(value) : value;
            }
        }

        e["properties"] = properties;
        return e.ToJsonString();
    }

    private static string? Timestamp(string? value)
    {
        foreach (var format in new[] { "yyyyMMdd", "yyyy-MM-dd" })
        {
            if (DateTime.TryParseExact(value, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
            {
                return day.ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
            }
        }

        return value;
    }

    /// <summary>RFC 4180 fields; a space delimiter also swallows runs of spaces (fixed-width exports).</summary>
    private static string[] Split(string line, char delimiter)
    {
        if (delimiter == ' ')
        {
            return line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
