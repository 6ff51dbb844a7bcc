namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>An Api process of the fuzz tests' own, with one admin key for store <see cref="Store"/>.</summary>
public sealed class FuzzApiFixture : IAsyncLifetime
{
    public const string Store = "fuzz";
    public const string Key = "fuzz-admin-key";

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), $"cg-fuzz-{Guid.NewGuid():N}");
    private HostProcess _api = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _api = new HostProcess(_dataPath, new Dictionary<string, string>
        {
            ["CustomerGrains__ApiKeys__0__Key"] = Key,
            ["CustomerGrains__ApiKeys__0__Store"] = Store,
            ["CustomerGrains__ApiKeys__0__Scopes__0"] = "ingest",
            ["CustomerGrains__ApiKeys__0__Scopes__1"] = "read",
            ["CustomerGrains__ApiKeys__0__Scopes__2"] = "admin",

            // Thousands of requests as fast as one client can send them: on a fast machine that outruns the default
            // per-key limit, and a 429 would hide what the fuzz is after. RateLimitTests covers the limit itself.
            ["CustomerGrains__RateLimit__PermitsPerSecond"] = "0",
        });
        await _api.StartAsync();
        Http = new HttpClient { BaseAddress = _api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _api.DisposeAsync();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
