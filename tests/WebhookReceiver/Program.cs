using System.Collections.Concurrent;
using System.Text.Json;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

// A webhook receiver for the tests: each hook name has a signing secret and a mode (ok, slow, fail, hang), set with
// PUT /hooks/{name}/setup. Every delivery to POST /hooks/{name} is verified with the StandardWebhooks package (401 when it
// does not verify), then accepted (204; slow: after 250 ms), failed (500) or left hanging, and recorded as a line of {data}/{name}.jsonl, so a
// restarted receiver still tells what it got; GET /hooks/{name}/attempts returns them in arrival order.
var builder = WebApplication.CreateBuilder(args);
var data = builder.Configuration["Receiver:Data"] ?? throw new InvalidOperationException("set Receiver:Data to a folder");
Directory.CreateDirectory(data);
var app = builder.Build();
var setups = new ConcurrentDictionary<string, Setup>(StringComparer.Ordinal);
var files = new object();

Setup? Find(string name)
{
    if (setups.TryGetValue(name, out var setup))
    {
        return setup;
    }

    var path = Path.Combine(data, $"{name}.setup.json");
    return File.Exists(path) ? setups.GetOrAdd(name, JsonSerializer.Deserialize<Setup>(File.ReadAllText(path))!) : null;
}

void Record(string name, string outcome, HttpRequest request, string body)
{
    var line = JsonSerializer.Serialize(new
    {
        outcome,
        id = request.Headers["webhook-id"].ToString(),
        timestamp = request.Headers["webhook-timestamp"].ToString(),
        body = outcome == "rejected" ? null : JsonSerializer.Deserialize<JsonElement>(body) as JsonElement?,
    });
    lock (files)
    {
        File.AppendAllText(Path.Combine(data, $"{name}.jsonl"), line + "\n");
    }
}

app.MapGet("/health", () => Results.Ok());

app.MapPut("/hooks/{name}/setup", (string name, Setup setup) =>
{
    lock (files)
    {
        File.WriteAllText(Path.Combine(data, $"{name}.setup.json"), JsonSerializer.Serialize(setup));
    }

    setups[name] = setup;
    return Results.NoContent();
});

app.MapPost("/hooks/{name}", async (string name, HttpRequest request, CancellationToken aborted) =>
{
    if (Find(name) is not { } setup)
    {
        return Results.NotFound();
    }

    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync(aborted);
    try
    {
        new StandardWebhook(setup.Secret).Verify(body, request.Headers);
    }
    catch (WebhookVerificationException)
    {
        Record(name, "rejected", request, body);
        return Results.Unauthorized();
    }

    switch (setup.Mode)
    {
        case "fail":
            Record(name, "failed", request, body);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        case "hang":
            Record(name, "hung", request, body);
            try
            {
                await Task.Delay(Timeout.Infinite, aborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up.
            }

            return Results.StatusCode(StatusCodes.Status504GatewayTimeout);
        case "slow":
            await Task.Delay(250, aborted);
            Record(name, "accepted", request, body);
            return Results.NoContent();
        default:
            Record(name, "accepted", request, body);
            return Results.NoContent();
    }
});

app.MapGet("/hooks/{name}/attempts", (string name) =>
{
    var path = Path.Combine(data, $"{name}.jsonl");
    string[] lines;
    lock (files)
    {
        lines = File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    return Results.Ok(lines.Select(l => JsonSerializer.Deserialize<JsonElement>(l)));
});

app.Run();

/// <summary>How the receiver treats a hook's deliveries: <c>Mode</c> ok, slow, fail or hang.</summary>
internal sealed record Setup(string Secret, string Mode);
