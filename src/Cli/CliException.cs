using System.Text.Json;

namespace CustomerGrains.Cli;

/// <summary>A command that cannot go on: the message for a person, the exit code for a script, and the API's problem details when it answered one.</summary>
public sealed class CliException(int exitCode, string message, int? status = null, JsonElement? problem = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>The HTTP status the API answered, when the failure is its answer.</summary>
    public int? Status { get; } = status;

    /// <summary>The API's RFC 9457 problem details, when it sent them.</summary>
    public JsonElement? Problem { get; } = problem;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
