using System.Text;
using CustomerGrains.Api.Tests.Infrastructure;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>
/// The real Api, as <c>dotnet run</c> starts it (its own appsettings.json with the development key of store <c>demo</c>),
/// in a process of its own on a fresh data folder, for the console's browser tests. Tests use run-unique ids.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string Key = "cg_dev_demo_key";
    public const string Store = "demo";

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), $"cg-console-{Guid.NewGuid():N}");

    public HostProcess Api { get; private set; } = null!;

    /// <summary>The console's address, e.g. <c>http://127.0.0.1:31234/console/</c>.</summary>
    public string Console => new Uri(Api.BaseAddress, "/console/").ToString();

    public async Task InitializeAsync()
    {
        Api = new HostProcess(_dataPath);
        await Api.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        HostProcess.DeleteData(_dataPath);
    }

    /// <summary>Posts events through the API, as a store would, and checks they were accepted.</summary>
    public async Task PostEventsAsync(string json)
    {
        using var client = Api.Client(Key);
        var response = await client.PostAsync($"/v1/stores/{Store}/events", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"events refused: {(int)response.StatusCode} {body}");
    }
}
