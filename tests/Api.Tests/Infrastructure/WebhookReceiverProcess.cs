using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// The tests' webhook receiver as a real process on loopback (<c>tests/WebhookReceiver</c>): each hook name has its secret and
/// mode, and what it was sent is read back from it.
/// </summary>
public sealed class WebhookReceiverProcess : IAsyncDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("cg-receiver-").FullName;
    private readonly HttpClient _client;

    public WebhookReceiverProcess()
    {
        Host = HostProcess.WebhookReceiver(_data);
        _client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public HostProcess Host { get; }

    public Task StartAsync() => Host.StartAsync();

    /// <summary>kill -9: the receiver is gone (connections refused) until started again, on the same port.</summary>
    public Task KillAsync() => Host.KillAsync();

    public string Url(string hook) => $"{Host.BaseAddress}hooks/{hook}";

    /// <summary><paramref name="mode"/>: ok (204), slow (204 after 250 ms), fail (500) or hang (no answer).</summary>
    public async Task SetupAsync(string hook, string secret, string mode = "ok") =>
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PutAsJsonAsync($"/hooks/{hook}/setup", new { secret, mode })).StatusCode);

    /// <summary>Every delivery the hook got, in arrival order: <c>{outcome: accepted|rejected|failed|hung, id, timestamp, body}</c>.</summary>
    public async Task<List<JsonElement>> AttemptsAsync(string hook) =>
        await _client.GetFromJsonAsync<List<JsonElement>>($"/hooks/{hook}/attempts") ?? [];

    /// <summary>The changes of the deliveries the hook accepted, in arrival order (repeats included).</summary>
    public async Task<List<JsonElement>> AcceptedChangesAsync(string hook) =>
        [.. (await AttemptsAsync(hook)).Where(a => a.GetProperty("outcome").GetString() == "accepted")
            .SelectMany(a => a.GetProperty("body").GetProperty("changes").EnumerateArray())];

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Host.DisposeAsync();
        HostProcess.DeleteData(_data);
    }
}
