using System.Net.Http.Headers;
using System.Text;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>One embedded Api process for a test collection, with keys for two stores.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string AdminA = "test-admin-key-a";
    public const string ReaderA = "test-read-key-a";
    public const string AdminB = "test-admin-key-b";

    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["CustomerGrains__ApiKeys__0__Key"] = AdminA,
        ["CustomerGrains__ApiKeys__0__Store"] = "shop-a",
        ["CustomerGrains__ApiKeys__0__Scopes__0"] = "ingest",
        ["CustomerGrains__ApiKeys__0__Scopes__1"] = "read",
        ["CustomerGrains__ApiKeys__0__Scopes__2"] = "admin",
        ["CustomerGrains__ApiKeys__1__Key"] = ReaderA,
        ["CustomerGrains__ApiKeys__1__Store"] = "shop-a",
        ["CustomerGrains__ApiKeys__1__Scopes__0"] = "read",
        ["CustomerGrains__ApiKeys__2__Key"] = AdminB,
        ["CustomerGrains__ApiKeys__2__Store"] = "shop-b",
        ["CustomerGrains__ApiKeys__2__Scopes__0"] = "ingest",
        ["CustomerGrains__ApiKeys__2__Scopes__1"] = "read",
        ["CustomerGrains__ApiKeys__2__Scopes__2"] = "admin",
        // The tests' webhook receivers listen on loopback, which webhooks may not reach unless it is allowed.
        ["CustomerGrains__Webhooks__AllowedHosts__0"] = "127.0.0.1",
    };

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), $"cg-api-{Guid.NewGuid():N}");

    public HostProcess Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = new HostProcess(DataPath, Keys);
        await Api.StartAsync();
    }

    /// <summary>Crashes the Api and starts it again on the same data.</summary>
    public async Task RestartAsync()
    {
        await Api.KillAsync();
        Api = new HostProcess(DataPath, Keys);
        await Api.StartAsync();
    }

    public HttpClient Client(string? key) => Api.Client(key);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        HostProcess.DeleteData(DataPath);
    }
}
