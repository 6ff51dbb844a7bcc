using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// The real Api, started as its own process in embedded mode on a data folder of the test's, reached over
/// real HTTP on loopback. <see cref="KillAsync"/> is a crash (SIGKILL), not a polite shutdown.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private Process? _process;

    public ApiProcess(string dataPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        DataPath = dataPath;
        Port = FreePort();
        _environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{Port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["CustomerGrains__DataPath"] = dataPath,
            ["CustomerGrains__SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CustomerGrains__GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            _environment[key] = value;
        }
    }

    public string DataPath { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output { get; private set; } = "";

    public async Task StartAsync()
    {
        var dll = Path.Combine(RepositoryRoot.Find(), "src", "Api", "bin", RepositoryRoot.Configuration(), "net10.0", "CustomerGrains.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var output = new System.Text.StringBuilder();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        lock (output)
        {
            Output = output.ToString();
        }

        throw new InvalidOperationException($"the Api did not become ready:\n{Output}");
    }

    /// <summary>kill -9: whatever was acknowledged must survive this.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
