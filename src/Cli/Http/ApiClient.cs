using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerGrains.Cli.Settings;

namespace CustomerGrains.Cli.Http;

/// <summary>
/// The store's routes of the HTTP API, answered as JSON. Every failure becomes a <see cref="CliException"/> whose message
/// is the API's own problem detail and whose exit code follows from the status (<see cref="ExitCodes.ForStatus"/>).
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Connection _connection;

    public ApiClient(Connection connection)
    {
        _connection = connection;

        // Reconcile and exports of large stores run for minutes; Ctrl+C cancels any request.
        _http = new HttpClient { BaseAddress = connection.Url, Timeout = TimeSpan.FromMinutes(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.Key);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("customergrains-cli", typeof(ApiClient).Assembly.GetName().Version?.ToString(3)));
    }

    /// <summary><c>v1/stores/{store}/</c> followed by the path's parts, each escaped (customer ids may hold '/').</summary>
    public string Store(params string[] parts) =>
        string.Join('/', new[] { "v1", "stores", _connection.Store }.Concat(parts).Select(Uri.EscapeDataString));

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public Task<JsonElement> PutAsync(string path, JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Put, path, body, ct);

    public Task DeleteAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Delete, path, null, ct);

    /// <summary>The answer's JSON (a cloned root), or an undefined element for 204.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException error)
        {
            throw new CliException(ExitCodes.Unavailable, $"cannot reach the API at {_connection.Url}: {error.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, $"the API at {_connection.Url} did not answer within {_http.Timeout.TotalMinutes:0} minutes");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response, text);
            }

            if (response.StatusCode == HttpStatusCode.NoContent || text.Length == 0)
            {
                return default;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new CliException(ExitCodes.Unavailable, $"the API answered {(int)response.StatusCode} with a body that is not JSON; is {_connection.Url} a CustomerGrains API?");
            }
        }
    }

    /// <summary>The problem details' <c>detail</c> (else its title, else the status), with the reasons the API listed and when to retry.</summary>
    private static CliException Failure(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        JsonElement? problem = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                problem = document.RootElement.Clone();
                message = Member(problem.Value, "detail") ?? Member(problem.Value, "title");
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's error page, say): the status speaks instead.
        }

        message ??= $"{status} {response.ReasonPhrase}";
        if (status == 401)
        {
            message += " (check --key, CUSTOMERGRAINS_API_KEY or the config file)";
        }

        if (response.Headers.RetryAfter?.Delta is { } wait)
        {
            message += $" (retry after {wait.TotalSeconds:0} s)";
        }

        return new CliException(ExitCodes.ForStatus(status), message, status, problem);
    }

    private static string? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _http.Dispose();
}
