namespace CustomerGrains.Import;

/// <summary>
/// How CSV columns become event fields: <c>id=order_no,customerId=customer,type=@order_completed,
/// timestamp=date,properties.revenue=amount</c>. A value starting with <c>@</c> is a constant.
/// <c>timestamp</c> accepts ISO 8601 or <c>yyyyMMdd</c>/<c>yyyy-MM-dd</c> (midnight UTC).
/// </summary>
public sealed record CsvMapping(IReadOnlyDictionary<string, string> Fields, char Delimiter, bool Header)
{
    public static CsvMapping Parse(string text, char delimiter, bool header)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new ArgumentException($"'{pair}' is not field=column");
            }

            fields[pair[..equals]] = pair[(equals + 1)..];
        }

        foreach (var required in new[] { "id", "customerId", "type", "timestamp" })
        {
            if (!fields.ContainsKey(required))
            {
                throw new ArgumentException($"the mapping needs '{required}'");
            }
        }

        return new CsvMapping(fields, delimiter, header);
    }
}
