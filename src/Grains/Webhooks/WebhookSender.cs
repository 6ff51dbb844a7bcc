using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// Per silo: POSTs a signed batch to a receiver and tells how it went, never throwing for the receiver's sake. One HTTP client
/// for every webhook (pooled connections), which connects only through <see cref="WebhookDestinations.ConnectAsync"/>, follows
/// no redirect (it would lead past that check) and uses no proxy. Each attempt is bounded by <see cref="WebhookOptions.Timeout"/>.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly IOptions<WebhookOptions> _options;
    private readonly TimeProvider _host;

    public WebhookSender(WebhookDestinations destinations, IOptions<WebhookOptions> options, TimeProvider host)
    {
        _options = options;
        _host = host;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = destinations.ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("CustomerGrains-Webhooks", "1"));
    }

    /// <summary>One attempt: the status code the receiver answered, or the error met instead.</summary>
    public async Task<(int? Status, string? Error, long LatencyMs, DateTimeOffset At)> SendAsync(
        Uri url, byte[] key, string messageId, byte[] body, CancellationToken cancellationToken)
    {
        var at = _host.GetUtcNow();
        var timestamp = at.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(key, messageId, timestamp, body));

        var timeout = _options.Value.Timeout;
        using var deadline = new CancellationTokenSource(timeout, _host);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var started = _host.GetTimestamp();
        long Elapsed() => (long)_host.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return ((int)response.StatusCode, null, Elapsed(), at);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", Elapsed(), at);
        }
        catch (HttpRequestException error)
        {
            return (null, Describe(error), Elapsed(), at);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Describe(HttpRequestException error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is WebhookDestinationException refused)
            {
                return $"destination refused: {refused.Message}";
            }
        }

        return error.InnerException is { } inner ? $"{error.Message} ({inner.Message})" : error.Message;
    }
}
