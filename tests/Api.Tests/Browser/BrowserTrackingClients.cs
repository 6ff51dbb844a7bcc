using System.Diagnostics;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>
/// The tracking clients stores run, from the npm registry, each installed once per machine into a temp folder of its
/// own (name and version in the folder's name); and node to drive the server ones.
/// </summary>
public static class BrowserTrackingClients
{
    public const string RudderStackNode = "@rudderstack/rudder-sdk-node@3.0.13";
    public const string SegmentBrowser = "@segment/analytics-next@1.84.3";
    public const string RudderStackBrowser = "@rudderstack/analytics-js@3.34.1";

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>The folder holding <c>node_modules/&lt;name&gt;</c> of <paramref name="package"/> (<c>name@version</c>).</summary>
    public static async Task<string> InstallAsync(string package)
    {
        var name = package[..package.LastIndexOf('@')];
        var folder = Path.Combine(Path.GetTempPath(), $"customergrains-npm-{package.Replace('/', '-').Replace("@", "", StringComparison.Ordinal)}");
        var installed = Path.Combine(folder, "node_modules", name, "package.json");
        await Installing.WaitAsync();
        try
        {
            if (!File.Exists(installed))
            {
                Directory.CreateDirectory(folder);
                var (exitCode, output) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--silent", package], folder, []);
                Assert.True(exitCode == 0 && File.Exists(installed), $"npm install {package} failed: {output}");
            }
        }
        finally
        {
            Installing.Release();
        }

        return folder;
    }

    /// <summary>Runs a program to its end (at most 3 minutes): its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string folder, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after 3 minutes\n{await output}{await errors}");
        }

        return (process.ExitCode, await output + await errors);
    }
}
