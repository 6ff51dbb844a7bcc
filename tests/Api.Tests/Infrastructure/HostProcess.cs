using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// A real host (the Api, or a cluster silo) started as its own process and reached over real HTTP on
/// loopback. <see cref="KillAsync"/> is a crash (SIGKILL), not a polite shutdown.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    // Ports given to a process of this test run (see FreePorts).
    private static readonly HashSet<int> HandedOut = [];

    private readonly Dictionary<string, string> _environment;
    private readonly string _project;
    private readonly string _folder;
    private readonly string _readiness;
    private Process? _process;
    private System.Text.StringBuilder _captured = new();

    /// <summary>The Api in embedded mode on a data folder of the test's, with its own free ports.</summary>
    public HostProcess(string dataPath, IReadOnlyDictionary<string, string>? environment = null)
        : this("Api", "/health/ready", WithDefaults(environment, new Dictionary<string, string>
        {
            ["CustomerGrains__DataPath"] = dataPath,
            ["CustomerGrains__SiloPort"] = FreePortText(),
            ["CustomerGrains__GatewayPort"] = FreePortText(),
        }))
    {
    }

    private HostProcess(string project, string readiness, IReadOnlyDictionary<string, string> environment, string folder = "src")
    {
        _project = project;
        _folder = folder;
        _readiness = readiness;
        Port = FreePort();
        _environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{Port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in environment)
        {
            _environment[key] = value;
        }
    }

    /// <summary>A cluster silo (<c>src/Silo</c>); it is up once its HTTP endpoint answers.</summary>
    public static HostProcess Silo(IReadOnlyDictionary<string, string> environment) => new("Silo", "/health/live", environment);

    /// <summary>
    /// The tests' webhook receiver (<c>tests/WebhookReceiver</c>), recording into <paramref name="dataPath"/>; started again
    /// after <see cref="KillAsync"/> it listens on the same port.
    /// </summary>
    public static HostProcess WebhookReceiver(string dataPath) =>
        new("WebhookReceiver", "/health", new Dictionary<string, string> { ["Receiver__Data"] = dataPath }, "tests");

    /// <summary>The Api in client mode, joining a PostgreSQL cluster.</summary>
    public static HostProcess ClusterClient(IReadOnlyDictionary<string, string> environment) =>
        new("Api", "/health/ready", WithDefaults(environment, new Dictionary<string, string> { ["CustomerGrains__Mode"] = "Client" }));

    public int Port { get; }

    /// <summary>Arguments after the program's path (e.g. <c>--urls</c>).</summary>
    public List<string> Arguments { get; } = [];

    /// <summary>Sets an environment variable of the process before it starts (an empty value unsets it).</summary>
    public void Set(string name, string value) => _environment[name] = value;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>What the process wrote so far (stdout and stderr, at the configured log level).</summary>
    public string Output
    {
        get
        {
            lock (_captured)
            {
                return _captured.ToString();
            }
        }
    }

    public async Task StartAsync()
    {
        var dll = Path.Combine(RepositoryRoot.Find(), _folder, _project, "bin", RepositoryRoot.Configuration(), "net10.0", $"CustomerGrains.{_project}.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. Arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            // An empty value unsets the variable, e.g. to run at the product's own log levels.
            if (value.Length == 0)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var output = _captured = new System.Text.StringBuilder();
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
                // Exited is not drained: without arguments, WaitForExit also waits for the redirected output to reach its
                // end, so the reason the process printed is in Output (it was sometimes empty).
                _process.WaitForExit();
                break;
            }

            try
            {
                if ((await http.GetAsync(_readiness)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the request timeout.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{_project} did not become ready:\n{Output}");
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

    /// <summary>A polite stop (SIGTERM), so everything the process logged is in <see cref="Output"/> afterwards.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGSTOP: the process stays, holds its sockets and answers nothing, like a long GC pause or a frozen VM.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>SIGTERM, as an orchestrator scales in: true once the host shut down by itself within the deadline.</summary>
    public async Task<bool> TerminateAsync(TimeSpan deadline)
    {
        if (_process is not { HasExited: false } process)
        {
            return true;
        }

        await SignalAsync("TERM");
        using var wait = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Whether the process ended by itself (a silo that found itself declared dead stops).</summary>
    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>SIGKILL also ends a paused process.</summary>
    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>A client of this host, with a bearer key when given.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Removes a test's data folder; one still held open is left for the OS to clean.</summary>
    public static void DeleteData(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    public static string FreePortText() => FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task SignalAsync(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    private static IReadOnlyDictionary<string, string> WithDefaults(IReadOnlyDictionary<string, string>? given, Dictionary<string, string> defaults)
    {
        foreach (var (key, value) in given ?? new Dictionary<string, string>())
        {
            defaults[key] = value;
        }

        return defaults;
    }

    /// <summary>The first of <paramref name="count"/> consecutive free ports, for scripts that number their processes' ports from a base.</summary>
    public static string FreePortBlockText(int count) => FreePorts(count).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort() => FreePorts(1);

    /// <summary>
    /// The first of <paramref name="count"/> consecutive ports that nothing listens on and that this test run has not
    /// handed out before. Taken below the kernel's ephemeral range (32768 and up), where no outgoing connection lands
    /// between this check and the process binding them, nor while a process restarts on its port after a crash; and
    /// above the ranges of Orleans' in-process test clusters (up to 30000), which the other test assembly runs meanwhile.
    /// </summary>
    private static int FreePorts(int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var first = Random.Shared.Next(30000, 32700 - count);
            var held = new List<TcpListener>();
            try
            {
                lock (HandedOut)
                {
                    if (Enumerable.Range(first, count).Any(HandedOut.Contains))
                    {
                        continue;
                    }

                    for (var port = first; port < first + count; port++)
                    {
                        var listener = new TcpListener(IPAddress.Loopback, port);
                        listener.Start();
                        held.Add(listener);
                    }

                    HandedOut.UnionWith(Enumerable.Range(first, count));
                    return first;
                }
            }
            catch (SocketException) when (attempt < 50)
            {
                // One of them is taken: try another block.
            }
            finally
            {
                held.ForEach(l => l.Stop());
            }
        }
    }
}
