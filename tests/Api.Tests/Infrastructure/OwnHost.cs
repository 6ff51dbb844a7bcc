namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>An embedded Api process of one test, with the test keys and its own settings, on a data folder of its own; both gone after the test.</summary>
public sealed class OwnHost : IAsyncDisposable
{
    private readonly string _dataPath;

    private OwnHost(HostProcess api, string dataPath) => (Api, _dataPath) = (api, dataPath);

    public HostProcess Api { get; }

    public static async Task<OwnHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-own-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string>(ApiFixture.Keys);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var host = new OwnHost(new HostProcess(dataPath, environment), dataPath);
        try
        {
            await host.Api.StartAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        HostProcess.DeleteData(_dataPath);
    }
}
