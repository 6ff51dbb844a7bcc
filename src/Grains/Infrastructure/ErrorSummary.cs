using Microsoft.Extensions.Logging;

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

    /// <summary>
    /// Logs a failure the way this class describes: <paramref name="template"/> with the summary appended at
    /// <paramref name="level"/>, and with the whole exception at Debug.
    /// </summary>
    public static void LogFailure(this ILogger logger, LogLevel level, Exception error, string template, params object?[] args)
    {
        if (logger.IsEnabled(level))
        {
#pragma warning disable CA2254 // The template is the caller's constant with the summary's placeholder appended.
            logger.Log(level, template + " ({Error})", [.. args, Of(error)]);
#pragma warning restore CA2254
        }

#pragma warning disable CA2254
        logger.LogDebug(error, template, args);
#pragma warning restore CA2254
    }
}
