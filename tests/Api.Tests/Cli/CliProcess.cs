using System.Diagnostics;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;

namespace CustomerGrains.Api.Tests.Cli;

/// <summary>
/// The built admin CLI (<c>src/Cli</c>) run as a real process, as a person or a script runs it: <c>dotnet
/// CustomerGrains.Cli.dll …</c>, with a home folder of its own (so no config file of the machine's is read) and none of
/// the CLI's environment variables unless a test sets them. Standard input is redirected: nobody is there to answer.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private static readonly string[] Variables = ["CUSTOMERGRAINS_URL", "CUSTOMERGRAINS_API_KEY", "CUSTOMERGRAINS_STORE", "CUSTOMERGRAINS_CONFIG", "CG_API_KEY"];

    public string Home { get; } = Directory.CreateTempSubdirectory("cg-cli-home-").FullName;

    /// <summary>Where the CLI looks for its config file in this home (XDG_CONFIG_HOME/customergrains/config.json).</summary>
    public string ConfigFile => Path.Combine(Home, ".config", "customergrains", "config.json");

    public static string Dll => Path.Combine(RepositoryRoot.Find(), "src", "Cli", "bin", RepositoryRoot.Configuration(), "net10.0", "CustomerGrains.Cli.dll");

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    public Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) => RunAsync("dotnet", environment, [Dll, .. args]);

    /// <summary>
    /// The CLI on a pseudo-terminal, as a person's shell runs it: script(1) gives it one and copies what it shows (standard
    /// output and error together) to <see cref="CliResult.Stdout"/>.
    /// </summary>
    public Task<CliResult> RunOnTerminalAsync(params string[] args)
    {
        string[] words = ["dotnet", Dll, .. args];
        var command = string.Join(' ', words.Select(a => $"'{a.Replace("'", "'\\''", StringComparison.Ordinal)}'"));
        return RunAsync("script", new Dictionary<string, string> { ["TERM"] = "xterm" }, "-qec", command, "/dev/null");
    }

    /// <summary>Another program in the same surroundings (e.g. script(1) running the CLI on a pseudo-terminal).</summary>
    public async Task<CliResult> RunAsync(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Home,
        };
        foreach (var name in Variables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = Home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within 2 minutes");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr, string.Join(' ', program == "dotnet" ? args.Skip(1) : args));
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}

/// <summary>What a run printed and how it ended.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr, string CommandLine)
{
    /// <summary>Standard output as the one JSON document <c>--json</c> promises.</summary>
    public JsonElement Json => Parse(Stdout);

    /// <summary>Standard error as the <c>{"error": …}</c> document <c>--json</c> prints on a failure.</summary>
    public JsonElement Error => Parse(Stderr).GetProperty("error");

    /// <summary>Asserts the exit code, showing what the run printed when it differs.</summary>
    public CliResult Exits(int code)
    {
        Assert.True(ExitCode == code, $"customergrains {CommandLine} exited {ExitCode}, expected {code}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }

    private static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
