using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CustomerGrains.Cli.Output;

/// <summary>
/// Where a command's answer goes: one JSON document on standard output with <c>--json</c>, else text and tables for a
/// person. Errors and progress go to standard error, so standard output carries only the answer.
/// </summary>
public sealed class CliOutput(bool json, bool quiet)
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,

        // A terminal or a script reads this, never a web page: names with accents stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Lazy<IAnsiConsole> _screen = new(Screen);
    private readonly Lazy<IAnsiConsole> _errorScreen = new(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));

    public bool Json { get; } = json;

    public static JsonWriterOptions WriterOptions => new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void WriteJson(JsonElement element) => Console.Out.WriteLine(JsonSerializer.Serialize(element, Indented));

    public void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Indented));

    public void Line(string text) => Console.Out.WriteLine(text);

    public void Write(IRenderable renderable) => _screen.Value.Write(renderable);

    public static void Warn(string text) => Console.Error.WriteLine(text);

    /// <summary>
    /// Tables on standard output. Redirected to a file or a pipe, there is no terminal width to fit: rows are not wrapped,
    /// so that each stays one line for grep and friends.
    /// </summary>
    private static IAnsiConsole Screen()
    {
        var screen = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            screen.Profile.Width = 1000;
        }

        return screen;
    }

    /// <summary>The failure on standard error: a sentence for a person, or <c>{"error": {…}}</c> with <c>--json</c>.</summary>
    public void Error(CliException error)
    {
        if (Json)
        {
            using var stream = Console.OpenStandardError();
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("error");
                writer.WriteNumber("exitCode", error.ExitCode);
                writer.WriteString("message", error.Message);
                if (error.Status is { } status)
                {
                    writer.WriteNumber("status", status);
                }

                if (error.Problem is { } problem)
                {
                    writer.WritePropertyName("problem");
                    problem.WriteTo(writer);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            stream.Write("\n"u8);
            return;
        }

        Console.Error.WriteLine($"error: {error.Message}");
        if (error.Problem is { } details && details.TryGetProperty("errors", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
        {
            // The detail names the first few; every reason the API gave, one a line.
            foreach (var reason in reasons.EnumerateArray().Skip(5).Take(20))
            {
                Console.Error.WriteLine($"  {Render.Scalar(reason.GetProperty("field"))} {Render.Scalar(reason.GetProperty("reason"))}");
            }
        }
    }

    /// <summary>
    /// A progress bar on standard error for long work, when a person watches it: standard error is a terminal, neither
    /// <c>--json</c> nor <c>--quiet</c> was given, and the work is not printing its data on that same terminal meanwhile
    /// (<paramref name="streamsToStandardOutput"/>: an export without <c>-o</c>), where the bar would be drawn over it.
    /// </summary>
    public bool ShowsProgress(bool streamsToStandardOutput) =>
        !Json && !quiet && !Console.IsErrorRedirected && !(streamsToStandardOutput && !Console.IsOutputRedirected);

    public async Task<T> WithProgressAsync<T>(string description, bool streamsToStandardOutput, Func<ProgressBar, Task<T>> work)
    {
        if (!ShowsProgress(streamsToStandardOutput))
        {
            return await work(ProgressBar.Hidden);
        }

        return await _errorScreen.Value.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => await work(new ProgressBar(context.AddTask(Markup.Escape(description)))));
    }

    /// <summary>
    /// Asks on the terminal; without one, a destructive command needs <c>--yes</c>, so that a script never hangs on a
    /// question nobody sees, nor deletes by accident.
    /// </summary>
    public bool Confirm(string question, bool yes)
    {
        if (yes)
        {
            return true;
        }

        if (Console.IsInputRedirected || Console.IsErrorRedirected)
        {
            throw CliException.Usage($"{question} Pass --yes to confirm: there is no terminal to ask on");
        }

        return _errorScreen.Value.Confirm(question, defaultValue: false);
    }
}
