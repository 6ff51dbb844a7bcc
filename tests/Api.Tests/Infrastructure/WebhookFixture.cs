namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// An embedded Api whose webhooks retry quickly (timeout 1 s, 4 attempts, waits of 50–200 ms, batches of 10) and a receiver
/// process, shared by a collection's webhook tests; each test uses hooks and segments of its own.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const int BatchSize = 10;
    public const int MaxAttempts = 4;

    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>(ApiFixture.Keys)
    {
        ["CustomerGrains__Webhooks__BatchSize"] = "10",
        ["CustomerGrains__Webhooks__Timeout"] = "00:00:01",
        ["CustomerGrains__Webhooks__MaxAttempts"] = "4",
        ["CustomerGrains__Webhooks__RetryBase"] = "00:00:00.050",
        ["CustomerGrains__Webhooks__RetryCap"] = "00:00:00.200",
    };

    private readonly string _data = Directory.CreateTempSubdirectory("cg-webhooks-").FullName;

    public HostProcess Api { get; private set; } = null!;

    public WebhookReceiverProcess Receiver { get; } = new();

    public async Task InitializeAsync()
    {
        Api = new HostProcess(_data, Settings);
        await Task.WhenAll(Api.StartAsync(), Receiver.StartAsync());
    }

    public HttpClient Client(string? key) => Api.Client(key);

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Api.DisposeAsync();
        HostProcess.DeleteData(_data);
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "webhooks";
}
