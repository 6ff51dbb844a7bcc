namespace CustomerGrains.Grains.Infrastructure;

/// <summary>
/// What failed, without the messages: Orleans and storage exceptions name the grain they were about, and a
/// customer grain's id is the store's customer id (often an email). Logs at Warning and above carry this
/// summary; the whole exception goes to Debug, for an operator who turns it on deliberately.
/// </summary>
public static class ErrorSummary
{
    public static string Of(Exception error)
    {
        var types = new List<string>();
        for (var e = error; e is not null && types.Count < 5; e = e.InnerException)
        {
            types.Add(e.GetType().Name);
        }

        var frame = error.StackTrace?.Split('\n', 2)[0].Trim();
        return frame is null ? string.Join(" ← ", types) : $"{string.Join(" ← ", types)} {frame}";
    }
}
